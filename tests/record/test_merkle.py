"""The record's Merkle tree is RFC 9162's: the reference vectors of Certificate Transparency
(its test data for RFC 6962, whose tree RFC 9162 keeps) pass, and the proofs check."""

import pytest

from tadamun.record import merkle

# The reference tree: eight leaves and the root after each one.
INPUTS = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]
LEAVES = [merkle.leaf_hash(bytes.fromhex(data)) for data in INPUTS]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index from 0, tree size, audit path)
PATHS = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (0, 1, []),
]
# (old size, new size, consistency proof)
PROOFS = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]


def hexes(nodes):
    return [node.hex() for node in nodes]


@pytest.mark.parametrize("size", range(9))
def test_the_root_of_each_reference_tree_is_the_rfcs(size):
    assert merkle.root(LEAVES[:size]).hex() == ROOTS[size]


def test_a_tree_grown_leaf_by_leaf_has_the_same_roots():
    frontier = []
    for size, leaf in enumerate(LEAVES):
        frontier = merkle.extend(frontier, size, leaf)
        assert merkle.frontier_root(frontier).hex() == ROOTS[size + 1]
    assert {s: r.hex() for s, r in merkle.roots_at(LEAVES, {0, 3, 8}).items()} == {
        0: ROOTS[0],
        3: ROOTS[3],
        8: ROOTS[8],
    }


@pytest.mark.parametrize("index, size, path", PATHS)
def test_inclusion_proofs_are_the_rfcs_and_verify(index, size, path):
    proof = merkle.inclusion_proof(LEAVES[:size], index)
    assert hexes(proof) == path
    root = bytes.fromhex(ROOTS[size])
    assert merkle.verify_inclusion(LEAVES[index], index, size, proof, root)
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), index, size, proof, root)
    if size > 1:
        assert not merkle.verify_inclusion(LEAVES[index], (index + 1) % size, size, proof, root)


@pytest.mark.parametrize("old, new, path", PROOFS)
def test_consistency_proofs_are_the_rfcs_and_verify(old, new, path):
    proof = merkle.consistency_proof(LEAVES[:new], old)
    assert hexes(proof) == path
    old_root, new_root = bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new])
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)
    if old < new:
        # The same proof cannot vouch for a tree whose old part was changed.
        forged = merkle.root([merkle.leaf_hash(b"forged"), *LEAVES[1:old]])
        assert not merkle.verify_consistency(old, new, forged, new_root, proof)


def test_every_proof_in_trees_up_to_forty_leaves_verifies_and_no_rewrite_passes():
    leaves = [merkle.leaf_hash(bytes([n])) for n in range(40)]
    for size in range(1, 41):
        root = merkle.root(leaves[:size])
        rewritten = merkle.root([*leaves[: size - 1], merkle.leaf_hash(b"other")])
        for index in range(size):
            proof = merkle.inclusion_proof(leaves[:size], index)
            assert merkle.verify_inclusion(leaves[index], index, size, proof, root)
        for old in range(1, size + 1):
            proof = merkle.consistency_proof(leaves[:size], old)
            old_root = merkle.root(leaves[:old])
            assert merkle.verify_consistency(old, size, old_root, root, proof)
            if old < size:
                assert not merkle.verify_consistency(old, size, old_root, rewritten, proof)


def test_a_log_never_proves_it_shrank():
    assert not merkle.verify_consistency(3, 2, bytes.fromhex(ROOTS[3]), bytes.fromhex(ROOTS[2]), [])
    with pytest.raises(ValueError):
        merkle.consistency_proof(LEAVES[:2], 3)
