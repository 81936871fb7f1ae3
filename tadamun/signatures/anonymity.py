"""Public figures about pledges that never single anyone out.

Every figure is either 0 or at least K people, and so is every figure one can get by
subtracting two published figures: small cells fold into "other", and when "other" itself
would be small, the next smallest cell joins it. Figures are computed from a snapshot taken
only after K or more pledges came or left, so comparing the page before and after a single
pledge shows nothing about that pledge.
"""


def safe(count: int, k: int) -> bool:
    return count == 0 or count >= k


def fold(cells: dict[str, int], total: int, k: int) -> tuple[list[tuple[str, int]], int]:
    """(cells shown, largest first; the "other" count) such that each shown cell and
    "other" = total - sum(shown) are 0 or >= k."""
    shown = sorted(((key, n) for key, n in cells.items() if n >= k), key=lambda kv: (-kv[1], kv[0]))
    other = total - sum(n for _key, n in shown)
    while shown and not safe(other, k):
        _key, n = shown.pop()
        other += n
    return shown, other


def split(part: int, total: int, k: int) -> int | None:
    """`part` of `total` (for example those who join the strike day), or None when it or
    its complement would single out fewer than k people."""
    if safe(part, k) and safe(total - part, k):
        return part
    return None
