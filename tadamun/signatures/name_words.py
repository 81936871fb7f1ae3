"""Words of organization names that say what kind of body it is, or what it works for, in
English, in Arabic and in the usual romanizations of the Arabic (dedupe reads them).

A name and its translation or transliteration ("Karama Development Network", «شبكة الكرامة
للتنمية», "Shabakat al-Karama lil-Tanmiya") meet once each word is replaced by what it means
here: a generic word by nothing, a word of CONCEPTS by its concept, any other by its sound.
Words are looked up by their consonants (dedupe.word_sound), so "tanmiya", "tanmia" and
«تنمية» are one entry, and an English word spelled in Arabic letters («ديفلوبمنت») is its
English word. The lists are short on purpose: each entry is a word two different
organizations could share, so it makes names meet only together with their other words.
"""

# Kinds of bodies, and the little words between the others. Also left out of the loose key
# (dedupe.fuzzy_key), in the forms written there: Latin words, Arabic words folded.
GENERIC = {
    "organization",
    "organisation",
    "org",
    "association",
    "foundation",
    "team",
    "group",
    "network",
    "initiative",
    "center",
    "centre",
    "for",
    "of",
    "the",
    "and",
    "in",
    "منظمه",
    "جمعيه",
    "موسسه",
    "فريق",
    "مجموعه",
    "شبكه",
    "مبادره",
    "مركز",
}

# The same generic words romanized from Arabic, and Arabic's joined little words (li-, lil-,
# wa-, bi-, fi): left out when names are compared by their words only.
ROMANIZED_GENERIC = {
    "munazzama",
    "munazzamat",
    "munathama",
    "jamiya",
    "jamiyat",
    "jamia",
    "muassasa",
    "muassasat",
    "mouassasa",
    "fariq",
    "fareeq",
    "majmua",
    "majmuat",
    "shabaka",
    "shabakat",
    "shabakah",
    "mubadara",
    "mubadarat",
    "markaz",
    "li",
    "lil",
    "wa",
    "bi",
    "fi",
}

# What a word means, in the spellings a name uses for it.
CONCEPTS = {
    "development": ["development", "tanmiya", "tanmia", "tanmiyah", "تنمية"],
    "relief": ["relief", "ighatha", "ighatha", "إغاثة"],
    "humanitarian": ["humanitarian", "insani", "insaniya", "إنساني", "إنسانية"],
    "youth": ["youth", "shabab", "شباب"],
    "women": ["women", "nisaa", "نساء"],
    "rights": ["rights", "huquq", "hoquq", "حقوق"],
    "peace": ["peace", "salam", "سلام"],
    "civil": ["civil", "madani", "مدني"],
    "society": ["society", "mujtama", "مجتمع"],
    "media": ["media", "ilam", "إعلام"],
    "education": ["education", "talim", "tarbiya", "تعليم", "تربية"],
    "health": ["health", "sihha", "صحة"],
    "dignity": ["dignity", "karama", "كرامة"],
    "future": ["future", "mustaqbal", "مستقبل"],
    "citizenship": ["citizenship", "muwatana", "mouwatana", "مواطنة"],
    "freedom": ["freedom", "hurriya", "horriya", "حرية"],
    "justice": ["justice", "adala", "عدالة"],
    "support": ["support", "daam", "دعم"],
}
