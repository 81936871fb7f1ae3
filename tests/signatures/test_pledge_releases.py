"""Pledge figures come out at scheduled releases, from a budget, and every output shows the one
stored release (signatures/models/releases.py, signatures/continual.py)."""

import datetime
import html
import json
import math
import random
import re
import statistics

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tadamun.signatures import continual
from tadamun.signatures.models import Pledge, PledgeRelease, releases
from tadamun.statements.models import Version
from tests.desk.helpers import organizer
from tests.factories import make_statement, release_next, true_counts, with_categories
from tests.signatures import watcher

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr><th scope="row">(?:<bdi>)?(.*?)(?:</bdi>)?</th><td>(\d+)</td></tr>')


def backdate(statement, hours: int) -> None:
    """As if the statement had been published `hours` ago (versions refuse to change: a plain
    queryset bypasses that, as only a test may)."""
    models.QuerySet(Version).filter(statement=statement).update(
        published_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def pledge(statement, n: int, **fields) -> Pledge:
    fields.setdefault("appearance", "category")
    domain = fields.pop("domain", None)
    made = Pledge.objects.create(statement=statement, email_hash=f"{n:064d}", **fields)
    made.confirm()
    if domain:
        Pledge.objects.filter(pk=made.pk).update(work_email=f"person{n}@{domain}")
        made.refresh_from_db()
        made.confirm_work_address()
    return made


@pytest.fixture
def generous(settings):
    """A budget so large that noise is a rounding matter and a city of three shows: for
    tests of where figures go, not of privacy."""
    settings.PLEDGE_PRIVACY_PER_STATEMENT = 5000.0
    settings.PLEDGE_PRIVACY_PER_RELEASE = 1000.0
    return settings


# The schedule ---------------------------------------------------------------------------------


def test_releases_follow_the_clock_never_a_pledge(settings):
    settings.PLEDGE_RELEASE_HOURS = 6
    statement = make_statement()
    now = timezone.now()
    slot = releases.slot_of(now)
    assert slot.hour % 6 == 0 and (slot.minute, slot.second, slot.microsecond) == (0, 0, 0)
    assert releases.next_release_time(now) == slot + datetime.timedelta(hours=6)
    # Published after the current time's release: its first comes at the next one.
    assert releases.release_due(now) == []
    for n in range(5):
        pledge(statement, n)
    assert not PledgeRelease.objects.exists()
    later = now + datetime.timedelta(hours=6)
    assert releases.release_due(later) == [statement.slug]
    assert releases.release_due(later) == []  # once per scheduled time
    pledge(statement, 99).withdraw()
    assert PledgeRelease.objects.count() == 1
    assert releases.release_due(later + datetime.timedelta(hours=6)) == [statement.slug]
    first, second = PledgeRelease.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert second.slot - first.slot == datetime.timedelta(hours=6)


def test_a_statement_gets_the_releases_its_budget_pays_for_then_its_figures_stay(client, settings):
    settings.PLEDGE_PRIVACY_PER_STATEMENT = 0.5
    settings.PLEDGE_PRIVACY_PER_RELEASE = 0.25
    statement = make_statement()
    assert release_next(statement).final is False
    assert release_next(statement).final is True
    assert release_next(statement) is None
    later = timezone.now() + datetime.timedelta(days=2)
    backdate(statement, 48)
    assert statement not in releases.due(later)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "they will not change again" in page and "next release" not in page


def test_the_release_chain_runs_at_the_scheduled_time_and_queues_the_next(run_worker):
    statement = make_statement()
    backdate(statement, 30 * 24)
    call_command("schedule_housekeeping")
    call_command("schedule_housekeeping")
    waiting = DBTaskResult.objects.filter(task_path__endswith="release_pledge_figures")
    assert waiting.count() == 1
    assert waiting.get().run_after == releases.next_release_time()
    # The time comes (the housekeeping, run at once, would catch a missed release too).
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert statement.pledge_releases.count() == 1
    queued = waiting.filter(status="READY").get()
    assert queued.run_after == releases.next_release_time()


def test_before_the_first_release_no_output_shows_a_pledge_figure(client):
    statement = make_statement(strike_day=True)
    with_categories(statement)
    for n in range(3):
        pledge(statement, n, joins_strike=True, appearance="named", public_name=f"Name {n}")
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "have joined" not in page and "join the strike day" not in page
    assert "Name 0" not in page and "By category" not in page
    assert "The first figures come on" in page and "small random noise" in page
    counts = client.get(f"/api/statements/{statement.slug}/counts").json()
    assert counts["pledges"] is None and counts["pledges_joining_strike"] is None
    assert counts["pledge_breakdown"] == {}
    assert export(client, statement)["count"]["pledges"] is None
    for path in ("badge.svg", "card/", "press/"):
        body = client.get(f"/en/statements/{statement.slug}/{path}").content.decode()
        assert "people" not in body and "person" not in body, path


# One release, every output --------------------------------------------------------------------


def export(client, statement) -> dict:
    response = client.get(f"/data/{statement.slug}/signatories.json")
    return json.loads(b"".join(response.streaming_content))


def rows(page: str, caption: str) -> list[tuple[str, int]]:
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return [(html.unescape(label), int(n)) for label, n in ROW.findall(table)]


def test_every_output_shows_the_stored_release_and_none_counts_the_pledges(client, generous):
    statement = make_statement(strike_day=True)
    ingo, un, local = with_categories(statement)
    n = 0
    for category, city, count in ((ingo, "Gaziantep", 6), (un, "Idlib", 4), (local, "", 2)):
        for _ in range(count):
            n += 1
            pledge(statement, n, category=category, city=city, joins_strike=n % 2 == 0)
    for _ in range(3):
        n += 1
        pledge(statement, n, appearance="counted", domain="unagency.org")
    pledge(statement, 99, category=un, appearance="named", public_name="Abu Karam")
    release = release_next(statement)
    figures = release.figures
    assert figures["total"] == 15 and figures["striking"] == 5  # rounded; the truth is 16, 6
    slug = statement.slug

    # The API, twice, and the JSON export: the release itself.
    counts = client.get(f"/api/statements/{slug}/counts").json()
    assert counts == client.get(f"/api/statements/{slug}").json()["counts"]
    assert counts["pledges"] == figures["total"]
    assert counts["pledges_joining_strike"] == figures["striking"]
    assert counts["pledge_breakdown"] == {k: figures[k] for k in ("category", "city", "domain")}
    assert counts["pledges_released_at"].startswith(release.slot.isoformat()[:19])
    assert export(client, statement)["count"]["pledges"] == 15

    # The page, in both languages, and what it shows on the strike day.
    names = {str(ingo.pk): "INGO staff", str(un.pk): "UN staff", str(local.pk): "Local staff"}
    for language in ("en", "ar"):
        page = client.get(f"/{language}/statements/{slug}/").content.decode()
        assert f"<strong>{figures['total']}</strong>" in page, language
        assert "Abu Karam" in page
    page = client.get(f"/en/statements/{slug}/").content.decode()
    assert f"{figures['striking']} join the strike day." in page
    assert rows(page, "By category") == [
        (names.get(key, "Other or not stated"), count) for key, count in figures["category"]
    ]
    assert rows(page, "By city") == [
        *((key.title(), count) for key, count in figures["city"]),
        ("Other or not stated", figures["total"] - sum(c for _k, c in figures["city"])),
    ]
    assert [k for k, _c in figures["city"]] == ["gaziantep", "idlib"]
    domain_caption = "Staff with a confirmed work address, by organization domain"
    assert rows(page, domain_caption) == [tuple(row) for row in figures["domain"]]
    assert "small random noise" in page and "the next release is on" in page

    # The embeds, the press kit and the organizers' desk.
    badge = client.get(f"/en/statements/{slug}/badge.svg").content.decode()
    assert f"{figures['total']} people" in badge
    card = client.get(f"/en/statements/{slug}/card/").content.decode()
    assert f"<strong>{figures['total']}</strong> people have joined." in card
    press = client.get(f"/en/statements/{slug}/press/").content.decode()
    assert f"{figures['total']} people have joined as individuals" in press
    client.force_login(organizer(statement.coalition))
    desk = client.get(f"/en/desk/statements/{statement.pk}/").content.decode()
    assert f"{figures['total']} people have joined." in desk
    client.logout()

    # Pledges, withdrawals and work addresses after the release change no output at all.
    before = watcher.everything(client, statement)
    for m in range(100, 106):
        pledge(statement, m, category=un, city="Idlib", domain="unagency.org", joins_strike=True)
    Pledge.objects.filter(statement=statement, city="Gaziantep").first().withdraw()
    assert true_counts(statement)["total"][""] == 21
    assert watcher.changed(before, watcher.everything(client, statement)) == []


# The mechanism --------------------------------------------------------------------------------


def test_the_budget_is_spent_as_stated_by_opendp_and_the_thresholds_hold():
    budget = continual.Budget(per_statement=0.5, per_release=0.001, delta=1e-7)
    assert (budget.releases, budget.levels) == (500, 9)
    spent = {family: budget.spent(family) for family in continual.FAMILIES}
    assert sum(spent.values()) == pytest.approx(0.5, rel=1e-6)
    assert all(spent[f] <= budget.rho(f) * (1 + 1e-9) for f in continual.FAMILIES)
    for family in continual.THRESHOLDED:
        sigma, tau = budget.scales[family], budget.threshold(family)
        chance = budget.releases * math.exp(-((tau - 1) ** 2) / (2 * budget.levels * sigma**2))
        assert chance <= budget.delta / len(continual.THRESHOLDED)
    assert 4 < budget.epsilon(1e-7) < 7


def exact(family, scale, nodes):
    return dict(nodes)


@st.composite
def streams(draw):
    """Counts of a few keys at each of up to 40 releases, moving by -3…+3."""
    length = draw(st.integers(1, 40))
    counts, now = [], {}
    for _ in range(length):
        for key in draw(st.lists(st.sampled_from("abcd"), max_size=4)):
            now[key] = max(0, now.get(key, 0) + draw(st.integers(-3, 3)))
        counts.append(dict(now))
    return counts


@hypothesis_settings(max_examples=60, deadline=None)
@given(stream=streams())
def test_without_noise_the_tree_gives_back_every_count_at_every_release(stream):
    budget = continual.Budget(per_statement=1.0, per_release=1 / 64, delta=1e-7)
    states = {}
    for t, counts in enumerate(stream, start=1):
        out = continual.advance(states, t, counts, "city", budget, exact)
        assert out == {key: counts.get(key, 0) for key in out} and set(counts) <= set(out)


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    joins=st.integers(1, 63),
    stays=st.integers(0, 63),
    others=st.lists(st.tuples(st.integers(1, 63), st.integers(-2, 2)), max_size=20),
)
def test_one_pledge_changes_at_most_2L_nodes_by_one(joins, stays, others):
    """The lemma the privacy of the tree rests on (continual.py): two streams that differ by
    one pledge (counted from release `joins` on, for `stays` releases) differ in at most 2L
    released nodes, by one each."""
    budget = continual.Budget(per_statement=1.0, per_release=1 / 63, delta=1e-7)
    leaves = budget.releases

    def nodes_of(with_pledge: bool) -> dict:
        released, states, count = {}, {}, 0

        def record(family, scale, nodes):
            released.update(nodes)
            return dict(nodes)

        moves = dict(others)
        for t in range(1, leaves + 1):
            count = max(0, count + moves.get(t, 0))
            mine = with_pledge and joins <= t < joins + stays
            continual.advance(states, t, {"k": count + mine}, "total", budget, record)
        return released

    a, b = nodes_of(True), nodes_of(False)
    assert a.keys() == b.keys()
    differences = [a[node] - b[node] for node in a if a[node] != b[node]]
    assert all(abs(d) == 1 for d in differences)
    assert len(differences) <= 2 * budget.levels


def test_released_counts_stay_within_the_documented_accuracy():
    """With OpenDP's noise and the default budget, 1,000 pledges arriving over 60 releases:
    every published figure within six standard deviations of the tree's noise (and the
    rounding) of the truth."""
    budget = continual.Budget(per_statement=0.5, per_release=0.001, delta=1e-7)
    rng = random.Random(17)
    states = {family: {} for family in continual.FAMILIES}
    truth = {"total": 0, "striking": 0}
    for t in range(1, 61):
        for _ in range(rng.randint(0, 33)):
            truth["total"] += 1
            truth["striking"] += rng.random() < 0.6
        for family in ("total", "striking"):
            noisy = continual.advance(states[family], t, {"": truth[family]}, family, budget)
            sigma = budget.scales[family] * math.sqrt(len(continual.bits(t)))
            published = continual.rounded(noisy[""])
            assert abs(published - truth[family]) <= 6 * sigma + continual.ROUNDING / 2


def test_the_noise_is_there_and_as_large_as_the_budget_says():
    """OpenDP's noise on a steady count of 1,000, at release 7 of 300 independent statements:
    centred on the truth, and as spread as the tree's scale says (release 7 sums three noisy
    nodes, one per set bit of 7)."""
    budget = continual.Budget(per_statement=0.5, per_release=0.001, delta=1e-7)
    errors = []
    for _ in range(300):
        states = {}
        for t in range(1, 8):
            noisy = continual.advance(states, t, {"": 1000}, "total", budget)[""]
        errors.append(noisy - 1000)
    sigma = budget.scales["total"] * math.sqrt(3)
    assert abs(statistics.mean(errors)) < 0.3 * sigma
    assert 0.8 * sigma < statistics.pstdev(errors) < 1.2 * sigma
