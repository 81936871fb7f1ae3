"""Word-by-word differences between two texts, for any script."""

import difflib
import re

from django.utils.html import format_html, format_html_join

# Words and the spaces between them, so that joining the pieces gives back the text.
TOKENS = re.compile(r"\s+|[^\s]+")


def words(text: str) -> list[str]:
    return TOKENS.findall(text or "")


def diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in "same", "del", "ins", covering both texts in reading order."""
    a, b = words(old), words(new)
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(b[j1:j2])))
    return pieces


def diff_html(old: str, new: str) -> str:
    """The difference as escaped HTML with <del> and <ins>; the text keeps its own direction."""
    tags = {"same": "{}", "del": "<del>{}</del>", "ins": "<ins>{}</ins>"}
    return format_html_join(
        "", "{}", ((format_html(tags[op], text),) for op, text in diff(old, new))
    )


def version_diff(old, new, language: str) -> dict:
    """Title, body and each demand of two versions, compared in one language."""
    a, b = old.text(language), new.text(language)
    demands = []
    for n in range(max(len(a["demands"]), len(b["demands"]))):
        before = a["demands"][n] if n < len(a["demands"]) else ""
        after = b["demands"][n] if n < len(b["demands"]) else ""
        demands.append(diff_html(before, after))
    return {
        "title": diff_html(a["title"], b["title"]),
        "body": diff_html(a["body"], b["body"]),
        "demands": demands,
    }
