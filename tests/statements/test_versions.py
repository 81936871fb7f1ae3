import pytest
from django.core.exceptions import ValidationError

from tadamun.record.models import Entry
from tadamun.statements.models import Version, content_hash
from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def test_the_hash_of_a_text_is_stable_and_known():
    content = {"statement": "s", "texts": {"en": {"title": "T", "body": "B", "demands": ["D"]}}}
    # Pinned: the documented algorithm must keep giving the same hash for the same text.
    assert content_hash(content) == content_hash(dict(reversed(list(content.items()))))
    assert (
        content_hash(content) == "5728bf9db9b55fa872ee2da51133029d0fa99afe7055cf5483ce2efd3a768f99"
    )


def test_publishing_the_same_text_twice_makes_one_version():
    statement = make_statement()
    first = statement.current_version
    again = statement.publish()
    assert again.pk == first.pk
    assert statement.versions.count() == 1


def test_line_endings_and_unicode_forms_do_not_make_a_new_version():
    statement = make_statement()
    statement.body = {"en": "We call for peace.\r\n", "ar": "ندعو إلى السلام."}
    statement.save()
    assert statement.publish().number == 1


def test_a_changed_text_becomes_the_next_version_and_the_old_one_stays():
    statement = make_statement()
    old = statement.current_version
    statement.title = {"en": "A new title", "ar": "عنوان جديد"}
    statement.save()
    new = statement.publish()
    assert new.number == 2
    statement.refresh_from_db()
    assert statement.current_version == new
    old.refresh_from_db()
    assert old.text("en")["title"] != "A new title"
    assert old.verify() and new.verify()
    assert new.content_hash != old.content_hash


def test_a_published_version_cannot_be_edited_or_deleted():
    version = make_statement().current_version
    version.content["texts"]["en"]["title"] = "Forged"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        Version.objects.filter(pk=version.pk).update(content_hash="0" * 64)
    with pytest.raises(ValidationError):
        version.delete()
    version.refresh_from_db()
    assert version.text("en")["title"] != "Forged"


def test_each_publication_is_written_to_the_record():
    statement = make_statement()
    entry = Entry.objects.filter(action="published", statement_slug=statement.slug).get()
    assert entry.data == {"version": 1, "content_hash": statement.current_version.content_hash}


def test_the_hash_covers_every_language_and_every_demand():
    statement = make_statement()
    before = statement.current_version.content_hash
    demand = statement.demands.first()
    demand.text = {**demand.text, "ar": "مطلب معدل"}
    demand.save()
    assert statement.publish().content_hash != before
