"""No published pledge figure, alone or subtracted from another, singles out fewer than K."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tadamun.signatures import anonymity
from tadamun.signatures.models import Pledge
from tadamun.statements.models import Tally
from tests.factories import make_statement, with_categories

K = 5


def published(statement) -> dict:
    """What the page shows of pledges, apart from the live total."""
    return Tally.objects.get(statement=statement).pledge_figures


def assert_safe(figures: dict, k: int) -> None:
    if not figures:
        return
    total = figures["total"]
    striking = figures["striking"]
    if striking is not None:
        assert anonymity.safe(striking, k) and anonymity.safe(total - striking, k)
    for dimension in ("category", "city", "domain"):
        shown = [n for _key, _label, n in figures[dimension]["shown"]]
        other = figures[dimension]["other"]
        assert all(n >= k for n in shown)
        # With no cell shown, "other" is the total itself and the page shows no breakdown.
        assert anonymity.safe(other, k) or not shown
        # "other" is the total less the cells shown, so it covers that subtraction.
        assert sum(shown) + other == total


@st.composite
def pledges(draw):
    return draw(
        st.lists(
            st.tuples(
                st.integers(0, 2),  # category
                st.sampled_from(["Idlib", "Gaziantep", "Amman", ""]),
                st.booleans(),  # joins the strike
                st.sampled_from(["counted", "category", "named"]),
                st.booleans(),  # withdraws later
            ),
            min_size=1,
            max_size=40,
        )
    )


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=pledges())
def test_figures_stay_k_anonymous_and_one_pledge_never_shows_in_a_difference(events):
    statement = make_statement(strike_day=True)
    categories = with_categories(statement)
    before = published(statement)
    changes_since = 0
    made = []
    steps = [("add", e) for e in events] + [("withdraw", i) for i, e in enumerate(events) if e[4]]
    for n, (kind, event) in enumerate(steps):
        if kind == "add":
            category, city, joins, appearance, _w = event
            pledge = Pledge.objects.create(
                statement=statement,
                category=categories[category],
                city=city,
                joins_strike=joins,
                appearance=appearance,
                email_hash=f"{n:064d}",
            )
            pledge.confirm()
            made.append(pledge)
        else:
            made[event].withdraw()
        changes_since += 1
        after = published(statement)
        assert_safe(after, K)
        if after != before:
            # The published breakdown moved: at least K pledges came or went since it last
            # moved, so the difference cannot be pinned on the last one.
            assert changes_since >= K
            changes_since = 0
        before = after


def test_fold_moves_the_smallest_cells_into_other_until_other_is_safe():
    shown, other = anonymity.fold({"a": 10, "b": 6, "c": 3}, total=19, k=5)
    # c (3) alone would be a small "other"; b joins it.
    assert shown == [("a", 10)] and other == 9
    shown, other = anonymity.fold({"a": 10, "b": 6}, total=16, k=5)
    assert shown == [("a", 10), ("b", 6)] and other == 0


def test_split_hides_a_part_whose_complement_is_small():
    assert anonymity.split(20, 22, 5) is None
    assert anonymity.split(20, 25, 5) == 20
    assert anonymity.split(2, 25, 5) is None
    assert anonymity.split(25, 25, 5) == 25
