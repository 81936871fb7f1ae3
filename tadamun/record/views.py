"""The public record as JSON Lines, streamed."""

import json

from django.http import StreamingHttpResponse
from django.views.decorators.cache import cache_control

from .models import Entry


def lines():
    for entry in Entry.objects.order_by("sequence").iterator(chunk_size=2000):
        yield json.dumps(entry.public(), ensure_ascii=False, sort_keys=True) + "\n"


@cache_control(public=True, max_age=30)
def record(request):
    response = StreamingHttpResponse(lines(), content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="record.jsonl"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
