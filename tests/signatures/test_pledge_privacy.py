"""The sybil watcher (docs/threat-model.md): an adversary with as many mailboxes as it likes,
who reads every public output at every moment and times its own pledges and withdrawals to
force the figures to move, learns nothing about one person's pledge but what the
differential-privacy mechanism lets through.

Played here: sybil pledges, confirmations and withdrawals around a target who is alone in a
city, a category and a work domain, with every output read between every action; the same
attack with the target's attributes a or b and the mechanism's randomness fixed; and random
interleavings driven by hypothesis.
"""

import random
import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tadamun.signatures import continual
from tadamun.signatures.models import Pledge, PledgeCounter, releases
from tests.factories import make_statement, pledge_form, release_next, true_counts, with_categories
from tests.signatures import watcher

pytestmark = pytest.mark.django_db

TARGET = {"city": "Manbij", "joins_strike": "on", "work_email": "target@tiny-ngo.org"}


def fixed_noise(seed: int) -> continual.Noise:
    """The mechanism's randomness, fixed: each node's noise depends only on the seed and on
    which node it is, so two worlds released with it get the same noise on the same nodes."""

    def noise(family, scale, nodes):
        return {
            node: value + round(random.Random(f"{seed}:{family}:{node}").gauss(0, scale))
            for node, value in nodes.items()
        }

    return noise


def noisy_counts(statement, number: int) -> dict[tuple[str, str], int]:
    """The unrounded noisy count of every figure at release `number`, from the counters."""
    return {
        (c.family, c.key): sum(c.noisy[j] for j in continual.bits(number))
        for c in PledgeCounter.objects.filter(statement=statement)
    }


def exact(statement) -> dict[tuple[str, str], int]:
    return {
        (family, key): n
        for family, counts in true_counts(statement).items()
        for key, n in counts.items()
    }


class Mailboxes:
    """The adversary's mailboxes and the target's, pledging through the site's own pages."""

    def __init__(self, client, statement, who: str):
        self.client, self.statement, self.who, self.n = client, statement, who, 0

    def join(self, email: str | None = None, **form) -> Pledge:
        self.n += 1
        email = email or f"{self.who}{self.n}@mailbox{self.n}.example"
        form.setdefault("category", self.statement.pledge_categories.first())
        url = f"/en/statements/{self.statement.slug}/join/"
        assert self.client.post(url, pledge_form(email=email, **form)).status_code == 302
        return Pledge.objects.filter(statement=self.statement).order_by("-pk").first()

    def follow(self, pledge: Pledge, purpose: str) -> None:
        path = purpose.removeprefix("pledge-")
        self.client.post(f"/en/pledge/{path}/{pledge.token(purpose)}/")


@pytest.fixture
def attack(client, settings):
    settings.RATELIMIT_ENABLE = False  # the adversary has as many addresses as mailboxes
    statement = make_statement(strike_day=True)
    ingo, un, _local = with_categories(statement)
    honest = Mailboxes(client, statement, "honest")
    for n in range(12):
        pledge = honest.join(
            category=ingo if n % 3 else un,
            city="Gaziantep",
            appearance="category",
            joins_strike="on" if n % 2 else None,
        )
        honest.follow(pledge, "pledge-confirm")
    release_next(statement)
    return statement, un


def test_the_sybil_watcher_reading_every_output_between_every_action_sees_nothing_move(
    client, attack
):
    statement, un = attack
    seen = watcher.everything(client, statement)
    sybils = Mailboxes(client, statement, "sybil")

    def watch():
        assert watcher.changed(seen, watcher.everything(client, statement)) == []

    made = []
    for _ in range(4):  # pledges to force a snapshot, as against the K-anonymous one
        made.append(sybils.join(category=un, city="Manbij", appearance="category"))
        watch()
        sybils.follow(made[-1], "pledge-confirm")
        watch()
    target = sybils.join("target@gmail.com", category=un, appearance="category", **TARGET)
    watch()
    sybils.follow(target, "pledge-confirm")
    watch()
    sybils.follow(target, "pledge-work")
    watch()
    for pledge in made:  # withdrawing, to isolate the target
        sybils.follow(pledge, "pledge-withdraw")
        watch()
    again = sybils.join(category=un, city="Manbij", appearance="category")  # re-pledging
    sybils.follow(again, "pledge-confirm")
    watch()
    sybils.follow(target, "pledge-withdraw")
    watch()
    back = sybils.join("target@gmail.com", category=un, appearance="category", **TARGET)
    sybils.follow(back, "pledge-confirm")
    watch()
    assert true_counts(statement)["city"]["manbij"] == 2

    # The next scheduled release moves the figures, through the mechanism: the target's
    # city and work domain, a handful of people, are in no output.
    release = release_next(statement)
    after = watcher.everything(client, statement)
    assert watcher.changed(seen, after)
    everything = b"".join(after.values()).decode().casefold()
    assert "manbij" not in everything and "tiny-ngo" not in everything
    counts = client.get(f"/api/statements/{statement.slug}/counts").json()
    assert counts["pledges"] == release.figures["total"]


@st.composite
def attributes(draw):
    return {
        "category": draw(st.sampled_from([0, 1, 2, None])),
        "city": draw(st.sampled_from(["Manbij", "Azaz", "Gaziantep", ""])),
        "joins_strike": draw(st.booleans()),
        "appearance": draw(st.sampled_from(["counted", "category"])),
        "domain": draw(st.sampled_from([None, "tiny-ngo.org", "unagency.org"])),
    }


@st.composite
def scripts(draw):
    """What the adversary does around the target: sybils join (with attributes it chooses),
    withdraw, and scheduled releases come; the target joins once and may withdraw."""
    steps = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("join"), attributes()),
                st.tuples(st.just("withdraw"), st.integers(0, 30)),
                st.tuples(st.just("release"), st.none()),
            ),
            max_size=14,
        )
    )
    at = draw(st.integers(0, len(steps)))
    steps.insert(at, ("target", None))
    if draw(st.booleans()):
        steps.insert(draw(st.integers(at + 1, len(steps))), ("target withdraws", None))
    steps.append(("release", None))
    return steps


def make_pledge(statement, categories, n: int, attrs: dict) -> Pledge:
    category = attrs["category"]
    pledge = Pledge.objects.create(
        statement=statement,
        email_hash=f"{n:064d}",
        category=categories[category] if category is not None else None,
        city=attrs["city"],
        joins_strike=attrs["joins_strike"],
        appearance=attrs["appearance"],
        work_email=f"p{n}@{attrs['domain']}" if attrs["domain"] else "",
    )
    pledge.confirm()
    if attrs["domain"]:
        pledge.confirm_work_address()
    return pledge


def play(statement, categories, script, target: dict, seed: int) -> list[dict]:
    """Run `script` with the target's `target` attributes, in a world rolled back after;
    what each release published, its noisy and exact counts."""
    out = []
    with transaction.atomic():
        sybils, n, me = [], 1000, None
        for step, arg in script:
            if step == "join":
                n += 1
                sybils.append(make_pledge(statement, categories, n, arg))
            elif step == "withdraw" and sybils:
                sybils[arg % len(sybils)].withdraw()
            elif step == "target":
                me = make_pledge(statement, categories, 1, target)
            elif step == "target withdraws":
                me.withdraw()
            elif step == "release":
                made = release_next(statement, noise=fixed_noise(seed))
                if made:
                    out.append(
                        {
                            "figures": made.figures,
                            "noisy": noisy_counts(statement, made.number),
                            "exact": exact(statement),
                        }
                    )
        transaction.set_rollback(True)
    return out


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=scripts(), a=attributes(), b=attributes(), seed=st.integers(0, 2**32))
def test_with_the_randomness_fixed_target_a_and_target_b_differ_only_through_the_noise(
    attack, script, a, b, seed
):
    statement, _un = attack
    categories = list(statement.pledge_categories.order_by("position"))
    world_a = play(statement, categories, script, a, seed)
    world_b = play(statement, categories, script, b, seed)
    assert len(world_a) == len(world_b) > 0
    budget = releases.budget()
    for ra, rb in zip(world_a, world_b, strict=True):
        for figure in ra["noisy"].keys() & rb["noisy"].keys():
            exact_a, exact_b = ra["exact"].get(figure, 0), rb["exact"].get(figure, 0)
            # One person: the true counts differ by at most one...
            assert abs(exact_a - exact_b) <= 1
            # ...and the outputs by exactly that: the same noise on top of each.
            assert ra["noisy"][figure] - rb["noisy"][figure] == exact_a - exact_b
        fa, fb = ra["figures"], rb["figures"]
        for name in ("total", "striking"):
            assert abs(fa[name] - fb[name]) <= continual.ROUNDING
        assert [k for k, _n in fa["category"]] == [k for k, _n in fb["category"]]
        for (_k, na), (_k2, nb) in zip(fa["category"], fb["category"], strict=True):
            assert abs(na - nb) <= continual.ROUNDING
        for family in continual.THRESHOLDED:
            # A city or domain that only the target brings is never shown.
            for world, other in ((fa, rb), (fb, ra)):
                for key, _n in world[family]:
                    assert (family, key) in other["noisy"], (family, key)
            assert all(n >= budget.threshold(family) - continual.ROUNDING for _k, n in fa[family])


@st.composite
def interleavings(draw):
    return draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("join"), attributes()),
                st.tuples(st.just("join unconfirmed"), attributes()),
                st.tuples(st.just("confirm"), st.integers(0, 30)),
                st.tuples(st.just("withdraw"), st.integers(0, 30)),
                st.tuples(st.just("release"), st.none()),
            ),
            min_size=1,
            max_size=16,
        )
    )


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=interleavings())
def test_no_pledge_or_withdrawal_moves_any_output_before_the_next_release(client, steps):
    statement = make_statement(strike_day=True)
    categories = with_categories(statement)
    budget = releases.budget()
    seen = watcher.everything(client, statement, light=True)
    pledges, n = [], 0
    for step, arg in steps:
        if step in ("join", "join unconfirmed"):
            n += 1
            if step == "join":
                pledges.append(make_pledge(statement, categories, n, arg))
            else:
                pledges.append(
                    Pledge.objects.create(statement=statement, email_hash=f"{n:064d}", city="X")
                )
        elif step == "confirm" and pledges:
            pledges[arg % len(pledges)].confirm()
        elif step == "withdraw" and pledges:
            pledges[arg % len(pledges)].withdraw()
        if step != "release":
            assert watcher.changed(seen, watcher.everything(client, statement, light=True)) == []
            continue
        release = release_next(statement)
        seen = watcher.everything(client, statement, light=True)
        counts = client.get(f"/api/statements/{statement.slug}/counts").json()
        assert counts["pledges"] == release.figures["total"]
        truth = true_counts(statement)
        for family in ("total", "striking"):
            sigma = budget.scales[family] * len(continual.bits(release.number)) ** 0.5
            published = release.figures[family]
            assert abs(published - truth[family][""]) <= 6 * sigma + continual.ROUNDING / 2


def test_a_named_pledger_who_withdraws_leaves_the_list_at_once_and_nothing_else_moves(
    client, attack
):
    statement, un = attack
    people = Mailboxes(client, statement, "named")
    for name in ("Abu Karam", "Umm Fadi"):
        pledge = people.join(category=un, appearance="named", public_name=name)
        people.follow(pledge, "pledge-confirm")
    release_next(statement)
    seen = watcher.everything(client, statement)
    people.follow(pledge, "pledge-withdraw")  # Umm Fadi
    now = watcher.everything(client, statement)
    pages = [f"/{language}/statements/{statement.slug}/" for language in watcher.LANGUAGES]
    assert watcher.changed(seen, now) == pages
    for page in pages:
        before, after = seen[page].split(b"\n", 1)[1], now[page].split(b"\n", 1)[1]
        assert b"Umm Fadi" in before and b"Umm Fadi" not in after and b"Abu Karam" in after
        line = re.search(rb"<li><bdi>Umm Fadi</bdi>[^\n]*?</li>", before).group(0)
        assert before.replace(line, b"") == after
