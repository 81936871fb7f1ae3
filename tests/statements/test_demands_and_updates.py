import datetime

import feedparser
import pytest
from django.core.exceptions import ValidationError

from tadamun.statements.models import DemandUpdate, Update
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def post_update(demand, date, status, note="A note", sources="https://example.org/report"):
    update = DemandUpdate(
        demand=demand, date=date, status=status, note={"en": note, "ar": "ملاحظة"}, sources=sources
    )
    update.full_clean()
    update.save()
    return update


def test_a_dated_update_sets_the_demands_status_and_shows_on_the_page(client):
    statement = make_statement()
    demand = statement.demands.first()
    post_update(demand, datetime.date(2017, 1, 5), "refused", "The request was turned down.")
    post_update(demand, datetime.date(2017, 3, 1), "partly_met", "Some were released.")
    demand.refresh_from_db()
    assert demand.status == "partly_met"
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Status: partly met" in page
    assert "Some were released." in page and "turned down" not in page
    assert 'href="https://example.org/report"' in page


def test_an_older_update_posted_later_does_not_override_the_latest_status():
    demand = make_statement().demands.first()
    post_update(demand, datetime.date(2017, 3, 1), "met")
    post_update(demand, datetime.date(2017, 1, 1), "open")
    demand.refresh_from_db()
    assert demand.status == "met"


def test_sources_must_be_web_links():
    demand = make_statement().demands.first()
    with pytest.raises(ValidationError):
        post_update(demand, datetime.date(2017, 1, 1), "open", sources="javascript:alert(1)")


def test_the_timeline_lists_every_update_newest_first(client):
    statement = make_statement()
    demand = statement.demands.first()
    post_update(demand, datetime.date(2017, 1, 5), "refused", "First step")
    Update.objects.create(
        statement=statement,
        title={"en": "Press conference", "ar": "مؤتمر صحفي"},
        body={"en": "We met the press.", "ar": "التقينا الصحافة."},
        published_at=datetime.datetime(2017, 2, 1, tzinfo=datetime.UTC),
    )
    post_update(demand, datetime.date(2017, 3, 1), "partly_met", "Latest step")
    page = client.get(f"/en/statements/{statement.slug}/timeline/").content.decode()
    assert page.index("Latest step") < page.index("Press conference") < page.index("First step")
    ar = client.get(f"/ar/statements/{statement.slug}/timeline/").content.decode()
    assert "مؤتمر صحفي" in ar


def test_the_feeds_are_valid_atom(client):
    statement = make_statement()
    post_update(statement.demands.first(), datetime.date(2017, 1, 5), "refused", "Turned down")
    Update.objects.create(
        statement=statement,
        title={"en": "News <b>one</b>", "ar": "خبر"},
        body={"en": "Body", "ar": "نص"},
    )
    for name, expected in (("updates", "News <b>one</b>"), ("demands", "refused")):
        response = client.get(f"/en/statements/{statement.slug}/feeds/{name}.atom")
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "atom10"
        # RFC 4287: a feed has an id, a title and an updated date; so does each entry.
        assert feed.feed.id and feed.feed.title and feed.feed.updated
        assert feed.entries
        for entry in feed.entries:
            assert entry.id and entry.title and entry.updated and entry.link
        assert expected in feed.entries[0].title
    ar = feedparser.parse(client.get(f"/ar/statements/{statement.slug}/feeds/updates.atom").content)
    assert ar.entries[0].title == "خبر"
