"""The record's Merkle tree, as RFC 9162 (Certificate Transparency 2.0, section 2.1) defines it.

Written small rather than taken from a library: the Python ones either use their own proof
formats or want their own storage, and a verifier in another language must be able to follow
the RFC alone. tests/record/test_merkle.py holds the RFC's reference vectors.

Hashes are bytes here; the record shows them as lower-case hex.
"""

import hashlib
from collections.abc import Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """MTH of one entry: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """An interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """The Merkle tree hash of the leaf hashes `leaves` (RFC 9162 2.1.1)."""
    if not leaves:
        return EMPTY_ROOT
    # Bottom-up over the frontier: the same tree as the RFC's recursive split, in O(n).
    return frontier_root(frontier_of(leaves))


def frontier_of(leaves: Sequence[bytes]) -> list[bytes]:
    """The roots of the perfect subtrees that make up a tree of these leaves, largest first."""
    frontier: list[bytes] = []
    for size, leaf in enumerate(leaves):
        frontier = extend(frontier, size, leaf)
    return frontier


def extend(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    """The frontier of a tree of `size` leaves after one more leaf: O(log n), so that each new
    entry gets a signed root without reading the whole log."""
    frontier = [*frontier, leaf]
    # Each trailing 1 bit of `size` is a perfect subtree that the new leaf completes.
    while size & 1:
        right = frontier.pop()
        frontier[-1] = node_hash(frontier[-1], right)
        size >>= 1
    return frontier


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    if not frontier:
        return EMPTY_ROOT
    result = frontier[-1]
    for subtree in reversed(frontier[:-1]):
        result = node_hash(subtree, result)
    return result


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1: the audit path of leaf `index` (from 0)."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"no leaf {index} in a tree of {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return [*inclusion_proof(leaves[:k], index), root(leaves[k:])]
    return [*inclusion_proof(leaves[k:], index - k), root(leaves[:k])]


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1: that the first `old_size` leaves are a prefix."""
    if not 0 < old_size <= len(leaves):
        raise ValueError(f"no consistency proof from {old_size} to {len(leaves)}")
    return _subproof(leaves, old_size, True)


def _subproof(leaves: Sequence[bytes], m: int, complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(leaves[:k], m, complete), root(leaves[k:])]
    return [*_subproof(leaves[k:], m - k, False), root(leaves[:k])]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does `proof` show leaf hash `leaf` at `index` in the tree?"""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    result = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(p, result)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and result == expected_root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: does `proof` show the tree of `old_size` leaves is a prefix of the tree
    of `new_size` leaves?"""
    if old_size == new_size:
        return not proof and old_root == new_root
    if not 0 < old_size < new_size or not proof:
        return old_size == 0 and old_root == EMPTY_ROOT and not proof
    proof = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        proof = [old_root, *proof]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


def roots_at(leaves: Sequence[bytes], sizes: set[int]) -> dict[int, bytes]:
    """The root of the tree at each of `sizes`, in one pass over the leaves."""
    found = {0: EMPTY_ROOT} if 0 in sizes else {}
    frontier: list[bytes] = []
    for size, leaf in enumerate(leaves):
        frontier = extend(frontier, size, leaf)
        if size + 1 in sizes:
            found[size + 1] = frontier_root(frontier)
    return found
