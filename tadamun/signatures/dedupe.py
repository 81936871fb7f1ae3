"""Organization names reduced to comparable keys, and near-duplicate search with rapidfuzz.

Four views of a name, from strict to loose:
- `name_key`: the identity key. Two names with the same key are the same organization. It is
  the Unicode UTS #39 confusable skeleton (ICU's SpoofChecker, which follows Unicode's
  confusables data) of the name after NFKC, removal of invisible and filler characters,
  symbols read as the letters they imitate ("|" for "l"), Latin letter forms folded to ASCII
  by ICU's Latin-ASCII transliterator (small capitals "ᴋᴇꜱʜ", hooks and descenders "ƙ ⱪ"),
  Arabic letter forms folded to the Arabic letter they are drawn on (Persian and Urdu forms,
  letters with added dots or rings: ی ک ګ ڭ ػ), diacritics, case and spacing.
- `fuzzy_key`: the same without generic words ("organization", «منظمة») or articles, for
  typos and abbreviations, compared with rapidfuzz.
- `sound_key`: consonants of the name in Latin letters (Arabic romanized by ICU's
  Arabic-Latin transliterator, from CLDR, anything else by Any-Latin), so that «كش ملك»
  meets "Kesh Malek".
- `word_key`: each word replaced by what it means (name_words): generic words dropped, words
  such as "development"/«تنمية»/"tanmiya" by one concept, the others by their consonants, so
  that a name meets its translation and its transliteration in either direction.

Any of them matching a listed organization's is enough for a submission to be held for a
moderator (Organization.resembled_by); only the first makes it that organization.

Why ICU (PyICU): it is Unicode's own implementation, its confusables data moves with each
Unicode version, and the same library carries CLDR's maintained transliterations, so one
dependency covers both the skeleton and romanization.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

import icu
from rapidfuzz import fuzz, process

from .name_words import CONCEPTS, GENERIC, ROMANIZED_GENERIC

# Characters that show as a blank (Hangul fillers, the Braille blank): a space, not nothing,
# so "Kesh\u3164Malek" reads as the two words it looks like.
FILLERS = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0\u2800"), " ")
# Default-ignorable code points (zero-width spaces and joiners, bidi controls, soft hyphen,
# variation selectors…) are invisible: a name must not differ from another by them.
IGNORABLE = icu.UnicodeSet("[[:Default_Ignorable_Code_Point:][:Cc:][:Co:][:Cs:]]")
IGNORABLE.freeze()

# Letters drawn like another letter that ICU folds to something else: the kra "ĸ" is a
# small capital K (Latin-ASCII spells it "q"; the skeleton gives it for Cyrillic "к"), the
# turned "ʍ" the skeleton gives for Cyrillic "м" is an "m".
LOOKS_LIKE = str.maketrans({"ĸ": "k", "ʍ": "m"})
LATIN_ASCII = icu.Transliterator.createInstance("[:Latin:] Latin-ASCII")

# Arabic letters named for another with something added ("KAF WITH RING", "KEHEH WITH TWO
# DOTS ABOVE") are folded to that letter, and these other forms to the letter they are drawn
# on (Persian, Urdu, Pashto, Sindhi, Kurdish and African forms): in a name they only serve to
# look like the Arabic letter.
ARABIC_FORMS = {
    "KEHEH": "KAF",
    "GAF": "KAF",
    "NG": "KAF",
    "SWASH KAF": "KAF",
    "NGOEH": "KAF",
    "GUEH": "KAF",
    "FARSI YEH": "YEH",
    "ALEF MAKSURA": "YEH",
    "YEH BARREE": "YEH",
    "E": "YEH",
    "KASHMIRI YEH": "YEH",
    "ROHINGYA YEH": "YEH",
    "HIGH HAMZA YEH": "YEH",
    "TEH MARBUTA": "HEH",
    "TEH MARBUTA GOAL": "HEH",
    "HEH GOAL": "HEH",
    "HEH DOACHASHMEE": "HEH",
    "AE": "HEH",
    "ALEF WASLA": "ALEF",
    "HIGH HAMZA ALEF": "ALEF",
    "LOW ALEF": "ALEF",
    "DOTLESS BEH": "BEH",
    "PEH": "BEH",
    "BEEH": "BEH",
    "BEHEH": "BEH",
    "TTEH": "TEH",
    "TTEHEH": "TEH",
    "TEHEH": "TEH",
    "TCHEH": "JEEM",
    "TCHEHEH": "JEEM",
    "NYEH": "JEEM",
    "DYEH": "JEEM",
    "DDAL": "DAL",
    "DAHAL": "DAL",
    "DDAHAL": "DAL",
    "DUL": "DAL",
    "RREH": "REH",
    "JEH": "ZAIN",
    "VEH": "FEH",
    "PEHEH": "FEH",
    "DOTLESS FEH": "FEH",
    "AFRICAN FEH": "FEH",
    "DOTLESS QAF": "QAF",
    "AFRICAN QAF": "QAF",
    "NOON GHUNNA": "NOON",
    "RNOON": "NOON",
    "AFRICAN NOON": "NOON",
    "HIGH HAMZA WAW": "WAW",
    "STRAIGHT WAW": "WAW",
    "OE": "WAW",
    "KIRGHIZ OE": "WAW",
    "U": "WAW",
    "YU": "WAW",
    "KIRGHIZ YU": "WAW",
    "VE": "WAW",
}
ARABIC_LETTERS = chain(range(0x0620, 0x0700), range(0x0750, 0x0780), range(0x08A0, 0x0900))


def _arabic_folds() -> dict[int, str]:
    table = {ord("ـ"): ""}  # the tatweel only stretches a letter
    for code in ARABIC_LETTERS:
        name = unicodedata.name(chr(code), "")
        if not name.startswith("ARABIC LETTER "):
            continue
        base = name.removeprefix("ARABIC LETTER ").split(" WITH ")[0]
        base = ARABIC_FORMS.get(base, base)
        try:
            letter = unicodedata.lookup(f"ARABIC LETTER {base}")
        except KeyError:
            continue
        if letter != chr(code):
            table[code] = letter
    return table


ARABIC_FOLDS = _arabic_folds()
GENERIC_WORDS = GENERIC
STOP_WORDS = {"for", "of", "the", "and", "in", "و"}

# Scores (0-100) at or above this are shown to organizers as possible duplicates.
THRESHOLD = 88
# Names in two scripts are compared by their consonants; these are short, so the bar is
# higher and a name needs enough of them to be compared at all.
CROSS_SCRIPT_THRESHOLD = 85
CROSS_SCRIPT_MIN = 3
# A match across scripts is a hint, never an identity: it is shown below an exact match.
CROSS_SCRIPT_SCORE = 86
# The same words by meaning and sound (word_key), in any order and script.
SAME_WORDS_SCORE = 90
# In one script, two spellings with these many consonants or more, all the same, are flagged.
SAME_SCRIPT_SOUND_MIN = 4

ARTICLE = re.compile(r"^(?:al|el|ul)[\s\-‐]+", re.IGNORECASE)
INNER_ARTICLE = re.compile(r"\s(?:al|el|ul)[\s\-‐]+", re.IGNORECASE)
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# The article and the little words joined to an Arabic word: «الكرامة», «للتنمية», «والسلام».
ARABIC_ARTICLE = re.compile(r"^(?:وال|بال|فال|كال|لل|ال)(?=..)")

SPOOF = icu.SpoofChecker()
ROMANIZE = icu.Transliterator.createInstance("Arabic-Latin; Latin-ASCII; Lower")
TO_ASCII = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


def clean(name: str) -> str:
    """The name as it may be stored and shown: NFKC, blanks for fillers, no invisible
    characters, single spaces."""
    name = unicodedata.normalize("NFKC", name or "").translate(FILLERS)
    name = "".join(ch for ch in name if not IGNORABLE.contains(ch))
    return " ".join(name.split())


@lru_cache(maxsize=512)
def _as_letter(symbol: str) -> str:
    # A symbol whose skeleton is a letter ("|", "∣", "ǀ" are "l") is that letter: split as
    # punctuation, "Ma|ek" would lose the letter it imitates.
    if symbol.isalnum() or symbol.isspace():
        return symbol
    twin = SPOOF.getSkeleton(0, symbol)
    return twin if twin.isalnum() else symbol


def fold(name: str, lower: bool = True) -> list[str]:
    """The words of a name, folded for comparison: look-alike symbols and Latin letter forms,
    case, Arabic letter forms, hamza seats, diacritics (Latin accents and Arabic harakat),
    digits of any script. Keys keep the case (`lower=False`) for the skeleton, which reads
    "I" and "l" as one."""
    name = "".join(map(_as_letter, clean(name))).translate(LOOKS_LIKE)
    name = LATIN_ASCII.transliterate(name)
    name = (name.casefold() if lower else name).translate(ARABIC_FOLDS)
    name = "".join(
        str(unicodedata.digit(ch))
        if ch.isdigit() and unicodedata.digit(ch, None) is not None
        # Marks go here, before the skeleton: the skeleton itself spells some Arabic letters
        # as a base and a mark (ش as س and three dots), and those marks must stay.
        else ch
        for ch in unicodedata.normalize("NFD", name)
        if not unicodedata.category(ch).startswith("M")
    )
    name = ARTICLE.sub("al", unicodedata.normalize("NFC", name))
    name = INNER_ARTICLE.sub(" al", name)
    return [w for w in re.split(r"[^\w]+|_", name) if w]


@lru_cache(maxsize=4096)
def skeleton(text: str) -> str:
    """The UTS #39 skeleton, made case-insensitive.

    The standard skeleton is case-sensitive ("I" and "l" share one; "i" does not), while our
    keys ignore case: so the skeleton is taken, lowered, its Latin letter forms folded as
    fold() does (the skeleton spells Cyrillic "к" as "ĸ" and "т" as "ᴛ"), and taken again;
    "i" is folded with "l" because "I" is both the capital of one and the twin of the other.
    That also catches the Cyrillic palochka (ӏ) and the dotless ı in a name that looks Latin.
    """
    once = SPOOF.getSkeleton(0, text).casefold().translate(LOOKS_LIKE)
    once = LATIN_ASCII.transliterate(once).casefold()
    return SPOOF.getSkeleton(0, once).replace("i", "l")


def _keep(text: str) -> str:
    # Letters, digits and the marks the skeleton wrote; not spaces or punctuation.
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


def name_key(name: str) -> str:
    """The identity key: two names with the same key are the same organization."""
    return _keep(skeleton("".join(fold(name, lower=False))))[:200]


def fuzzy_key(name: str) -> str:
    """A looser key for near-duplicate search: no generic words, no articles, no spaces."""
    words = [w for w in fold(name, lower=False) if w.casefold() not in GENERIC_WORDS]
    words = [w[2:] if w[:2].casefold() == "al" and len(w) > 4 else w for w in words]
    return _keep(skeleton("".join(words)))


def is_arabic(name: str) -> bool:
    return bool(ARABIC.search(name or ""))


def _ta_marbuta(word: str) -> str:
    # The final ta marbuta (folded to ه) is mostly heard as a vowel: "Mouwatana".
    return word[:-1] + "ا" if word.endswith("ه") and len(word) > 2 else word


def romanize(name: str) -> str:
    """The name in lower-case ASCII letters: Arabic by ICU's Arabic-Latin transliterator,
    anything else by Any-Latin (accents dropped)."""
    words = fold(name)
    if is_arabic(name):
        return ROMANIZE.transliterate(" ".join(map(_ta_marbuta, words)))
    return TO_ASCII.transliterate(" ".join(words))


VOWELS = re.compile(r"[aeiouwy]+")
SOUNDS = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"ch"), "sh"),
    (re.compile(r"ck|q|c"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"v"), "f"),
    (re.compile(r"p"), "b"),
    (re.compile(r"(?<=[aeiou])h\b"), ""),
]


def consonants(latin: str) -> str:
    """The consonants of lower-case ASCII text, spelled one way ("ph" and "f", "q" and "k",
    "p" and "b", doubled letters once), without spaces."""
    text = re.sub(r"[^a-z ]", "", latin)
    text = " ".join(w[2:] if w[:2] in ("al", "el") and len(w) > 4 else w for w in text.split())
    for pattern, replacement in SOUNDS:
        text = pattern.sub(replacement, text)
    text = VOWELS.sub("", text).replace(" ", "")
    return re.sub(r"(.)\1+", r"\1", text)


def sound_key(name: str) -> str:
    """The consonants of the name in Latin letters, for comparing spellings across scripts
    (Arabic writes long vowels only, Latin spellings disagree on them): «بيتنا سوريا» and
    "Baytna Syria" both give "btnsr"."""
    words = [w for w in fold(name) if w not in GENERIC_WORDS]
    text = romanize(" ".join(words)) if is_arabic(name) else TO_ASCII.transliterate(" ".join(words))
    return consonants(text)


def _bare(word: str) -> str:
    # A folded word without the article or the little words Arabic joins to it («للتنمية»,
    # "alkarama": fold() joins a Latin "al-" to its word).
    if is_arabic(word):
        return ARABIC_ARTICLE.sub("", word)
    return word[2:] if word[:2] in ("al", "el") and len(word) > 4 else word


def word_sound(word: str) -> str:
    """One folded word as consonants in Latin letters, without its article («للتنمية» is
    "tnm", "alkarama" "krm")."""
    word = _bare(word)
    if is_arabic(word):
        return consonants(ROMANIZE.transliterate(_ta_marbuta(word)))
    return consonants(TO_ASCII.transliterate(word))


# Sounds of fewer consonants are shared by too many unrelated words to stand for a meaning:
# such spellings are recognized only as written.
MEANINGFUL_SOUND = 3


def _meanings() -> tuple[set[str], set[str], dict[str, str], dict[str, str]]:
    generic_words = {_bare(w) for s in chain(GENERIC, ROMANIZED_GENERIC) for w in fold(s)}
    concept_words = {
        _bare(w): f"#{concept}"
        for concept, spellings in CONCEPTS.items()
        for spelling in spellings
        for w in fold(spelling)
    }
    generic_sounds = {word_sound(w) for w in generic_words}
    concept_sounds = {word_sound(w): concept for w, concept in concept_words.items()}
    return (
        generic_words,
        {s for s in generic_sounds if len(s) >= MEANINGFUL_SOUND},
        concept_words,
        {s: c for s, c in concept_sounds.items() if len(s) >= MEANINGFUL_SOUND},
    )


GENERIC_BARE, GENERIC_SOUNDS, CONCEPT_OF_WORD, CONCEPT_OF_SOUND = _meanings()


def word_key(name: str) -> str:
    """The name's words by meaning and sound, in any order: generic words dropped, words of
    name_words.CONCEPTS by their concept, the others by their consonants. Empty for a name
    of fewer than two such words, too few to tell organizations apart this way (one word is
    compared by sound_key)."""
    words = []
    for word in fold(name):
        bare, sound = _bare(word), word_sound(word)
        if not sound or bare in GENERIC_BARE:
            continue
        concept = CONCEPT_OF_WORD.get(bare) or CONCEPT_OF_SOUND.get(sound)
        if concept:
            words.append(concept)
        elif sound not in GENERIC_SOUNDS:
            words.append(sound)
    return " ".join(sorted(words)) if len(words) >= 2 else ""


def same_sound(one: str, other: str) -> int:
    """A 0-100 score for two spellings of a name by their consonants. In one script only
    the same consonants count ("Beitna"/"Baytna", "Shafaq"/"Shafak"), as typos are caught
    by the other keys; across scripts, close ones do too."""
    a, b = sound_key(one), sound_key(other)
    if is_arabic(one) == is_arabic(other):
        return 100 if len(a) >= SAME_SCRIPT_SOUND_MIN and a == b else 0
    if min(len(a), len(b)) < CROSS_SCRIPT_MIN:
        return 0
    if min(len(a), len(b)) <= 4:
        return 100 if a == b else 0
    return int(fuzz.ratio(a, b))


def acronyms(name: str) -> set[str]:
    """Initials of the name, with and without a last word that is its own abbreviation."""
    words = [w for w in fold(name) if w not in STOP_WORDS]
    found = {"".join(w[0] for w in words)}
    if len(words) > 2:
        found.add("".join(w[0] for w in words[:-1]))
    return {a for a in found if len(a) >= 3}


def is_abbreviation(short: str, long: str) -> bool:
    words = fold(short)
    return len(words) == 1 and words[0] in acronyms(long)


class Features(NamedTuple):
    """What the search compares of one name, worked out once."""

    loose: str
    full: str
    word: str  # the name's only word, "" when it has several
    acronyms: frozenset[str]
    sound: str
    arabic: bool
    words: str
    numbers: str  # the name's numbers ("2,14"), which tell apart "Local Council 2" and "3"


@lru_cache(maxsize=50_000)
def features(name: str) -> Features:
    """The keys of `name`, cached: the listed organizations' names are read for every
    submission, and each is worked out once per process, not once per look-up."""
    words = fold(name)
    return Features(
        loose=fuzzy_key(name),
        full=name_key(name),
        word=words[0] if len(words) == 1 else "",
        acronyms=frozenset(acronyms(name)),
        sound=sound_key(name),
        arabic=is_arabic(name),
        words=word_key(name),
        numbers=",".join(re.findall(r"\d+", " ".join(words))),
    )


class NameIndex:
    """Known names prepared for many look-ups (a page of sign-ons, a list being imported, a
    submission): each name's keys are worked out once, and looked up by key in dictionaries;
    only the typo search (rapidfuzz, in C) runs over every name.

    Matches look-alike letters and invisible characters (same skeleton: 100), typos
    ("Refugess"), spacing and punctuation, "al-"/"el-", abbreviations ("LDO" inside "Local
    Development Organization LDO"), the same name in Arabic and Latin script («كش ملك»,
    "Kesh Malek"), and the same words translated or transliterated ("Karama Development
    Network", «شبكة الكرامة للتنمية»).
    """

    def __init__(self, names: Iterable[tuple[int, str]]):
        """`names`: (candidate id, one of its names) pairs."""
        self.ids: list[int] = []
        self.loose: list[str] = []
        self.full: list[str] = []
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.by_word: dict[str, set[int]] = defaultdict(set)
        self.by_acronym: dict[str, set[int]] = defaultdict(set)
        self.by_sound: dict[tuple[bool, str], set[int]] = defaultdict(set)
        self.by_words: dict[str, set[int]] = defaultdict(set)
        self.numbers: dict[int, set[str]] = defaultdict(set)
        # Per script, the consonant keys long enough to be compared loosely across scripts.
        self.long_sounds: dict[bool, tuple[list[str], list[int]]] = {
            True: ([], []),
            False: ([], []),
        }
        for cid, name in names:
            self.add(cid, name)

    def add(self, cid: int, name: str) -> None:
        """Prepare one more name of candidate `cid`."""
        found = features(name)
        self.ids.append(cid)
        self.loose.append(found.loose)
        self.full.append(found.full)
        for key in (found.loose, found.full):
            if key:
                self.exact[key].add(cid)
        if found.word:
            self.by_word[found.word].add(cid)
        for acronym in found.acronyms:
            self.by_acronym[acronym].add(cid)
        self.by_sound[(found.arabic, found.sound)].add(cid)
        if len(found.sound) > 4:
            self.long_sounds[found.arabic][0].append(found.sound)
            self.long_sounds[found.arabic][1].append(cid)
        if found.words:
            self.by_words[found.words].add(cid)
        self.numbers[cid].add(found.numbers)

    @classmethod
    def of_names(cls, candidates: dict[int, list[str]]) -> "NameIndex":
        """From {candidate id: its names (one per language)}."""
        return cls((cid, name) for cid, names in candidates.items() for name in names)

    def similar(
        self, name: str, limit: int = 5, exclude: int | None = None
    ) -> list[tuple[int, int]]:
        """Candidates that look like `name`: [(candidate id, score 0-100)], best first."""
        found = features(name)
        if not found.loose:
            return []
        scores: dict[int, int] = {}

        def score(cids: Iterable[int], value: int) -> None:
            for cid in cids:
                scores[cid] = max(scores.get(cid, 0), value)

        # Two views of each name: the loose key catches "al-"/"el-" and generic words, the
        # full key catches a typo inside a generic word ("Orgnaization").
        for query, choices in ((found.loose, self.loose), (found.full, self.full)):
            for _choice, value, i in process.extract(
                query, choices, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=None
            ):
                score([self.ids[i]], int(value))
        score(self.exact.get(found.loose, ()), 100)
        score(self.exact.get(found.full, ()), 100)
        # One is the other's abbreviation, either way round.
        if found.word:
            score(self.by_acronym.get(found.word, ()), 90)
        for acronym in found.acronyms:
            score(self.by_word.get(acronym, ()), 90)
        # The same words by meaning and sound, in any script and order.
        if found.words:
            score(self.by_words.get(found.words, ()), SAME_WORDS_SCORE)
        # The same consonants (same_sound): exactly in one script, closely across scripts.
        sound, arabic = found.sound, found.arabic
        if len(sound) >= SAME_SCRIPT_SOUND_MIN:
            score(self.by_sound.get((arabic, sound), ()), CROSS_SCRIPT_SCORE)
        if CROSS_SCRIPT_MIN <= len(sound) <= 4:
            score(self.by_sound.get((not arabic, sound), ()), CROSS_SCRIPT_SCORE)
        elif len(sound) > 4:
            sounds, ids = self.long_sounds[not arabic]
            for _choice, _value, i in process.extract(
                sound, sounds, scorer=fuzz.ratio, score_cutoff=CROSS_SCRIPT_THRESHOLD, limit=None
            ):
                score([ids[i]], CROSS_SCRIPT_SCORE)
        scores.pop(exclude, None)
        if found.numbers:
            # Names alike but for their numbers are numbered bodies ("Local Council 2", "3"),
            # unless the skeletons are the same ("0" and "O", "1" and "l" look alike).
            same = self.exact.get(found.full, set())
            for cid in list(scores):
                theirs = self.numbers[cid]
                if cid not in same and "" not in theirs and found.numbers not in theirs:
                    del scores[cid]
        return sorted(scores.items(), key=lambda item: -item[1])[:limit]


def similar(name: str, candidates: dict[int, list[str]], limit: int = 5) -> list[tuple[int, int]]:
    """Candidates ({id: names}) that look like `name`, best first. For one look-up: to
    compare many names, build one NameIndex and ask it each (building it for every name
    compares every pair, and costs the square of the list's length)."""
    return NameIndex.of_names(candidates).similar(name, limit)
