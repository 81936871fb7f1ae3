"""Organization names reduced to keys, and the near-duplicate search over prepared names."""

import pytest

from tadamun.signatures.dedupe import NameIndex, acronyms, clean, fuzzy_key, name_key, similar


@pytest.mark.parametrize(
    "one, other",
    [
        ("Kesh Malek", "  KESH   MALEK!! "),
        ("Bаytna Syria", "Baytna Syria"),  # a Cyrillic а
        ("Al-Ameen", "El Ameen"),
        ("منظمة أمل", "منظمه امل"),  # hamza and taa marbuta written either way
        ("Kesh\u200bMalek", "KeshMalek"),  # an invisible space
        ("Café Hope", "Cafe Hope"),
    ],
)
def test_spellings_of_one_name_share_a_key(one, other):
    assert name_key(one) == name_key(other)


def test_different_names_keep_different_keys():
    assert name_key("Kesh Malek") != name_key("Kesh Malik Center")


def test_a_name_of_only_symbols_or_invisible_characters_has_no_key():
    assert name_key("!!! ---") == ""
    assert clean("\u200b\u202e\x00") == ""


def test_the_loose_key_drops_generic_words_and_articles():
    assert fuzzy_key("The Al-Ameen Foundation for Humanitarian Support") == fuzzy_key(
        "Ameen Humanitarian Support"
    )


def test_acronyms_are_the_initials_with_and_without_a_trailing_abbreviation():
    assert acronyms("Local Development Organization LDO") == {"ldol", "ldo"}
    assert acronyms("Kesh Malek") == set()  # two letters are too few to mean much


def test_typos_abbreviations_and_scripts_are_found_best_first():
    index = NameIndex.of_names(
        {
            1: ["Coordination Committee for Camps and Refugees"],
            2: ["Local Development Organization LDO"],
            3: ["Violet Organization", "منظمة بنفسج"],
        }
    )
    assert index.similar("Coordination Committee for Camps and Refugess")[0][0] == 1
    assert index.similar("LDO") == [(2, 90)]
    assert [cid for cid, _ in index.similar("Local Development Organization")] == [2]
    assert index.similar("Violet Organisation")[0] == (3, 100)
    assert index.similar("Space of Hope") == []


def test_the_search_leaves_out_the_organization_asked_about_and_keeps_to_the_limit():
    # Letters, not numbers: names alike but for their numbers are numbered bodies.
    index = NameIndex.of_names({n: [f"Relief Committee {'ABCDEFGH'[n - 1]}"] for n in range(1, 9)})
    found = index.similar("Relief Committee A", limit=3, exclude=1)
    assert len(found) == 3 and 1 not in [cid for cid, _ in found]


def test_similar_over_a_few_names_is_the_index_once():
    candidates = {7: ["Shades of Care Humanitarian Organization"]}
    [(found, score)] = similar("Shades of Care Humanitarian Orgnaization", candidates)
    assert found == 7 and 88 <= score < 100


def test_names_alike_but_for_their_numbers_are_not_flagged_unless_one_has_none():
    index = NameIndex.of_names({1: ["Local Council 2"], 2: ["Kesh Malek"], 3: ["Olive Branch"]})
    assert index.similar("Local Council 3") == []
    assert index.similar("Local Council 2")[0] == (1, 100)
    assert index.similar("Kesh Malek 2")[0][0] == 2
    assert index.similar("0live Branch") == [(3, 100)]  # a zero for an O is a letter
