"""What erasing an organization's name reaches besides its sign-ons and the public record.

The name was copied, as typed or as shown at the time, into the admin's history of changes
(each entry's title and message), the audit log (a moderator's search, a reason), an
import's rows and rendered pages in the cache. Erasure overwrites each copy in place, so that
neither the site nor a backup made afterwards holds it.
"""

import json

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.dispatch import Signal

from tadamun.audit.models import Event
from tadamun.statements import page_cache

ERASED = "[erased]"

# Sent with `names` (a set of strings) when names are erased, for the copies other apps keep
# (the desk's imports). Receivers overwrite them with `scrub`.
names_erased = Signal()

# Shorter strings are not names worth finding: erasing every "Al" would mangle the logs.
SHORTEST = 3


def names_of(organization, signons) -> set[str]:
    """Every spelling under which `organization` and `signons` were shown or typed."""
    found = set((organization.name or {}).values())
    found.update(organization.names.values_list("name", flat=True))
    for signon in signons:
        found.update((signon.submitted_name or {}).values())
    return {name for name in found if name and len(name.strip()) >= SHORTEST}


def scrub(value, names: set[str]):
    """`value` (a string, or lists and dicts of them) with each of `names` overwritten."""
    if isinstance(value, str):
        for name in sorted(names, key=len, reverse=True):
            value = value.replace(name, ERASED)
        return value
    if isinstance(value, list):
        return [scrub(item, names) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, names) for key, item in value.items()}
    return value


def text_matches(field: str, names: set[str]) -> Q:
    """Rows whose `field` holds one of `names`, as written or as JSON escapes it (a JSON
    column on SQLite, the admin's change messages)."""
    match = Q(pk__in=[])
    for name in names:
        escaped = json.dumps(name)[1:-1]
        match |= Q(**{f"{field}__contains": name}) | Q(**{f"{field}__contains": escaped})
    return match


def erase_copies(names: set[str], objects=(), statements=()) -> None:
    """Overwrite `names` in the admin's history and the audit log, and the history of each of
    `objects` ((model, pk) pairs: sign-ons, a deleted organization) whatever it says; drop
    the cached pages of `statements`; ask other apps to do the same with theirs."""
    targets = {(ContentType.objects.get_for_model(model).pk, str(pk)) for model, pk in objects}
    about = Q(pk__in=[])
    for content_type, object_id in targets:
        about |= Q(content_type_id=content_type, object_id=object_id)
    for entry in LogEntry.objects.filter(
        about | text_matches("object_repr", names) | text_matches("change_message", names)
    ):
        if (entry.content_type_id, entry.object_id) in targets:
            title = ERASED
        else:
            title = scrub(entry.object_repr, names)
        try:
            message = json.dumps(scrub(json.loads(entry.change_message or "[]"), names))
        except ValueError:
            message = scrub(entry.change_message, names)
        LogEntry.objects.filter(pk=entry.pk).update(object_repr=title, change_message=message)
    if names:
        events = Event.objects.annotate(text=Cast("detail", TextField()))
        for event in events.filter(text_matches("text", names)):
            Event.objects.filter(pk=event.pk).update(detail=scrub(event.detail, names))
        names_erased.send(sender=None, names=names)
    for statement in statements:
        page_cache.drop(statement.slug)
