"""Pledge figures released under differential privacy, continually: the binary-tree counter.

Every published pledge figure (how many joined, how many join the strike day, how many by
category, city and work domain) is a count that moves as people pledge and withdraw. It is
published only at scheduled releases t = 1, 2, … T, through the binary mechanism of Chan, Shi
and Song ("Private and continual release of statistics", ACM TISSEC 14(3), 2011, Algorithm 2;
also Dwork, Naor, Pitassi and Rothblum, "Differential privacy under continual observation",
STOC 2010): the changes of a count between releases are summed over dyadic runs of releases
(the tree's nodes), each node gets noise once, when its run is complete, and the count at t
is the sum of the noisy nodes that cover releases 1…t (at most L of them, L the bit length
of T). OpenDP has a b-ary tree (make_b_ary_tree), but only for a histogram known at once,
not for a stream released as it grows: hence this small counter around OpenDP's noise.

The noise is OpenDP's Gaussian mechanism on integers (the discrete Gaussian: Canonne, Kamath
and Steinke, NeurIPS 2020), accounted in zero-concentrated DP (ρ-zCDP: Bun and Steinke, TCC
2016).

Why it holds. What is protected is one pledge. Seen at releases, a pledge counts in a figure
from one release on and, if withdrawn, no longer from a later one: at most two changes of one,
in one key per family (its category, its city…). Each change enters one node per level: at
most 2L node releases, each a Gaussian mechanism of sensitivity 1 that costs OpenDP's
`map(1)` = 1/(2σ²); by composition, ρ = 2L·map(1) per family, whatever the other pledges (an
adversary's own) and however they react to earlier releases (zCDP composes adaptively, and the
Gaussian tree counter stays private on adaptively chosen streams: Denisov, McMahan, Rush,
Smith and Thakurta, NeurIPS 2022). The families' budgets add up to the statement's.

Keys nobody can know in advance (cities, work domains) are shown only when their noisy count
reaches a threshold that a count of one person crosses at any of the T releases with
probability at most δ (its share of PLEDGE_PRIVACY_DELTA): a city of one is not shown.
"""

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import opendp.prelude as dp

# OpenDP keeps its measurements that are not yet formally vetted behind this switch; the
# Gaussian mechanism on integers is among them.
dp.enable_features("contrib")

FAMILIES = ("total", "striking", "category", "city", "domain")
# How the statement's budget is shared between the families: the total is what people read
# first and must be the most accurate; cities and work domains, shown only when large, least.
SHARES = {"total": 0.5, "striking": 0.2, "category": 0.2, "city": 0.05, "domain": 0.05}
# Families whose keys come from what people typed: a key is shown only above a threshold.
THRESHOLDED = ("city", "domain")
# Published figures are rounded to this: noise makes the last digit meaningless anyway.
ROUNDING = 5

# A node of the tree: (key, level, the release its run of releases ends at).
Node = tuple[str, int, int]
# Adds noise of a given scale to the exact values of some nodes of one family.
Noise = Callable[[str, float, dict[Node, int]], dict[Node, int]]


@functools.lru_cache
def gaussian(scale: float):
    """OpenDP's Gaussian mechanism on vectors of integers (ρ-zCDP)."""
    return dp.m.make_gaussian(
        dp.vector_domain(dp.atom_domain(T=int)), dp.l2_distance(T=int), scale=scale
    )


def opendp_noise(family: str, scale: float, nodes: dict[Node, int]) -> dict[Node, int]:
    """Release the nodes through OpenDP's Gaussian mechanism: one call per family."""
    if not nodes:
        return {}
    order = list(nodes)
    return dict(zip(order, gaussian(scale)([nodes[node] for node in order]), strict=True))


@dataclass(frozen=True)
class Budget:
    """The privacy budget of one statement's pledge figures (ρ-zCDP) and what follows."""

    per_statement: float
    per_release: float
    delta: float

    @property
    def releases(self) -> int:
        """How many releases the statement's budget pays for (T)."""
        return max(1, int(self.per_statement / self.per_release + 1e-9))

    @property
    def levels(self) -> int:
        """The tree's height L: how many nodes one change of a count enters."""
        return self.releases.bit_length()

    def rho(self, family: str) -> float:
        return self.per_statement * SHARES[family]

    @functools.cached_property
    def scales(self) -> dict[str, float]:
        """The noise of each family's nodes, found by OpenDP so that its 2L node releases
        cost the family's ρ."""
        return {
            family: dp.binary_search_param(
                gaussian, d_in=1, d_out=self.rho(family) / (2 * self.levels)
            )
            for family in FAMILIES
        }

    def spent(self, family: str) -> float:
        """ρ of a family over the statement's life, by OpenDP's privacy map (2L node
        releases of sensitivity 1 each)."""
        return 2 * self.levels * gaussian(self.scales[family]).map(1)

    def threshold(self, family: str) -> int:
        """The least noisy count shown for a key of a thresholded family. The noise on a
        count is a sum of at most L discrete Gaussians of scale σ, which is sub-Gaussian with
        variance proxy Lσ² (Canonne, Kamath and Steinke 2020, Cor. 9), so a count of one
        reaches τ at one release with probability at most exp(-(τ-1)²/(2Lσ²)), and at any
        of the T releases at most T times that: τ makes it the family's share of δ."""
        share = self.delta / len(THRESHOLDED)
        sigma = self.scales[family]
        return 1 + math.ceil(sigma * math.sqrt(2 * self.levels * math.log(self.releases / share)))

    def epsilon(self, delta: float) -> float:
        """The whole budget as (ε, δ)-DP, by OpenDP's conversion from zCDP (before the
        thresholds' δ, which adds to `delta`)."""
        whole = gaussian(1 / math.sqrt(2 * self.per_statement))  # map(1) = per_statement
        return dp.c.make_zCDP_to_approxDP(whole).map(1).epsilon(delta)


def bits(t: int) -> list[int]:
    """The levels j with bit j of t set: the nodes that cover releases 1…t."""
    return [j for j in range(t.bit_length()) if t >> j & 1]


def new_state(levels: int) -> dict:
    """A key's counter before its first release: exact and noisy node sums per level."""
    return {"exact": [0] * levels, "noisy": [None] * levels}


def advance(
    states: dict[str, dict],
    t: int,
    counts: dict[str, int],
    family: str,
    budget: Budget,
    noise: Noise = opendp_noise,
) -> dict[str, int]:
    """Move each key's counter (`states`, changed in place) to release t, given its exact
    count now (`counts`; a key missing from it counts 0), and return its noisy count.

    Chan, Shi and Song's Algorithm 2: the node at level i (the lowest set bit of t) sums the
    change since release t-1 and the nodes below it, which it replaces. A key seen for the
    first time also needs the nodes above it that earlier releases would have had: they sum
    no change (its count was 0 at every earlier release) and get their noise now.
    """
    i = (t & -t).bit_length() - 1
    pending: dict[Node, int] = {}
    for key in set(states) | set(counts):
        state = states.get(key)
        if state is None:
            state = states[key] = new_state(budget.levels)
        exact = state["exact"]
        change = counts.get(key, 0) - sum(exact[j] for j in bits(t - 1))
        exact[i] = sum(exact[:i]) + change
        for j in range(i):
            exact[j], state["noisy"][j] = 0, None
        pending[(key, i, t)] = exact[i]
        for j in bits(t):
            if j > i and state["noisy"][j] is None:
                pending[(key, j, t >> j << j)] = exact[j]
    for (key, level, _end), value in noise(family, budget.scales[family], pending).items():
        states[key]["noisy"][level] = value
    return {key: sum(states[key]["noisy"][j] for j in bits(t)) for key in states}


def rounded(n: int) -> int:
    """A noisy count as published: never below zero, rounded to ROUNDING."""
    return ROUNDING * round(max(0, n) / ROUNDING)


def published(noisy: dict[str, dict[str, int]], budget: Budget, categories: Iterable[str]) -> dict:
    """The figures a release publishes, from the noisy counts of each family (post-processing
    only: clamping, rounding and thresholds read nothing but the noisy counts)."""
    total = rounded(noisy["total"][""])
    figures = {
        "total": total,
        "striking": min(total, rounded(noisy["striking"][""])),
        # Categories are public (organizers name them), so each is shown, noisy.
        "category": [[key, rounded(noisy["category"].get(key, 0))] for key in categories],
    }
    for family in THRESHOLDED:
        tau = budget.threshold(family)
        shown = [(key, n) for key, n in noisy[family].items() if n >= tau]
        shown.sort(key=lambda kv: (-kv[1], kv[0]))
        figures[family] = [[key, rounded(n)] for key, n in shown]
    return figures
