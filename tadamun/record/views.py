"""The public record: the log as JSON Lines, its signed checkpoint, the key that signs it, and
the Merkle proofs a witness asks for."""

import json

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.cache import cache_control

from . import merkle
from .models import Checkpoint, Entry, sign_head, verifier_key


def open_to_all(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


def lines():
    entries = Entry.objects.select_related("disclosure").order_by("sequence")
    for entry in entries.iterator(chunk_size=2000):
        yield json.dumps(entry.public(), ensure_ascii=False, sort_keys=True) + "\n"


# An erased name leaves the log at once: nginx keeps a copy two seconds, browsers none.
@cache_control(public=True, max_age=0, s_maxage=2)
def record(request):
    response = StreamingHttpResponse(lines(), content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="record.jsonl"'
    response["X-Accel-Expires"] = "2"
    return open_to_all(response)


def latest_checkpoint() -> Checkpoint:
    # A site whose record predates checkpoints signs its first one on the first request.
    return Checkpoint.latest() or sign_head()


@cache_control(public=True, max_age=10)
def checkpoint(request):
    """The latest signed head: a stable address that witnesses fetch and keep."""
    note = latest_checkpoint().note
    return open_to_all(HttpResponse(note, content_type="text/plain; charset=utf-8"))


@cache_control(public=True, max_age=3600)
def key(request):
    """The public key that signs the checkpoints, as a note verifier key."""
    return open_to_all(HttpResponse(verifier_key() + "\n", content_type="text/plain"))


def _size(request, name: str, default: int | None = None) -> int | None:
    value = request.GET.get(name, "")
    if not value and default is not None:
        return default
    return int(value) if value.isdigit() and len(value) < 16 else None


def _leaves(size: int) -> list[bytes]:
    hashes = Entry.objects.filter(sequence__lte=size).order_by("sequence")
    return [bytes.fromhex(h) for h in hashes.values_list("hash", flat=True)]


def _problem(message: str, status: int = 400):
    return open_to_all(JsonResponse({"error": message}, status=status))


@cache_control(public=True, max_age=3600)
def consistency(request):
    """RFC 9162 consistency proof between two tree sizes: ?from=M&to=N."""
    head = latest_checkpoint().tree_size
    old, new = _size(request, "from"), _size(request, "to", head)
    if old is None or new is None or not 0 < old <= new <= head:
        return _problem(f"from and to must be tree sizes with 0 < from <= to <= {head}")
    proof = merkle.consistency_proof(_leaves(new), old)
    return open_to_all(
        JsonResponse({"from": old, "to": new, "proof": [node.hex() for node in proof]})
    )


@cache_control(public=True, max_age=3600)
def inclusion(request):
    """RFC 9162 inclusion proof of an entry in the tree of a given size: ?sequence=S&size=N."""
    head = latest_checkpoint().tree_size
    sequence, size = _size(request, "sequence"), _size(request, "size", head)
    if sequence is None or size is None or not 0 < sequence <= size <= head:
        return _problem(f"sequence and size must satisfy 0 < sequence <= size <= {head}")
    leaves = _leaves(size)
    proof = merkle.inclusion_proof(leaves, sequence - 1)
    return open_to_all(
        JsonResponse(
            {
                "sequence": sequence,
                "size": size,
                "hash": leaves[sequence - 1].hex(),
                "proof": [node.hex() for node in proof],
            }
        )
    )
