"""Every string a user sees has an Arabic translation, and Arabic numbers, dates and plurals
follow the language."""

import datetime
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from tests.conftest import require

CATALOGUE = settings.BASE_DIR / "tadamun/locale/ar/LC_MESSAGES/django.po"


def test_the_arabic_catalogue_has_no_missing_or_fuzzy_string():
    po = polib.pofile(str(CATALOGUE))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert not po.metadata_is_fuzzy
    for entry in po:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 6 and all(entry.msgstr_plural.values()), entry.msgid


def test_the_compiled_catalogue_is_up_to_date():
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    source = polib.pofile(str(CATALOGUE))

    def singular(catalogue):
        return {e.msgid: e.msgstr for e in catalogue if e.msgid and not e.msgid_plural}

    assert singular(compiled) == singular(source), "run `make messages` to compile it"


def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """makemessages over the code finds nothing that the committed catalogue lacks."""
    if not shutil.which("xgettext"):
        require("REQUIRE_GETTEXT", "GNU gettext (xgettext) is not installed")
    locale = tmp_path / "locale"
    shutil.copytree(CATALOGUE.parents[2], locale)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ar",
            "-e",
            "html,txt,py,svg",
            "--no-location",
            "--ignore=.venv",
            "--ignore=staticfiles",
            "--ignore=tests",
            "--ignore=benchmarks",
            "--ignore=node_modules",
            "--ignore=data",
            "--ignore=test-artifacts",
            # Else makemessages finds tadamun/locale while walking the code and writes the
            # committed catalogue, leaving the copy this test reads unchanged.
            "--ignore=locale",
        ],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "LOCALE_DIR": str(locale), "DATA_DIR": str(tmp_path)},
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(locale / "ar/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in fresh if not e.obsolete and not e.translated()]
    assert missing == [], "untranslated strings: run `make messages` and translate them"


@pytest.mark.parametrize(
    "count, expected",
    [
        (0, "لم توقّع أي منظمة بعد"),
        (1, "وقّعت منظمة واحدة"),
        (2, "وقّعت منظمتان"),
        (3, "وقّعت <strong>3</strong> منظمات."),
        (11, "وقّعت <strong>11</strong> منظمةً."),
        (100, "وقّعت <strong>100</strong> منظمة."),
    ],
)
def test_arabic_uses_its_six_plural_forms(count, expected):
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}<strong>{{ counter }}</strong> "
        "organization has signed.{% plural %}<strong>{{ counter }}</strong> organizations have "
        "signed.{% endblocktranslate %}"
    )
    with translation.override("ar"):
        assert expected in template.render(Context({"n": count}))


def test_dates_and_numbers_follow_the_language():
    template = Template('{% load humanize %}{{ day|date:"DATE_FORMAT" }} {{ n|intcomma }}')
    context = Context({"day": datetime.date(2016, 12, 14), "n": 50000})
    with translation.override("ar"):
        arabic = template.render(context)
    with translation.override("en"):
        english = template.render(context)
    # Django's own formatting (the admin) writes Arabic dates as in Syria, day first, as our
    # pages do through Babel: not «ديسمبر 14, 2016».
    assert arabic.startswith("14 كانون الأول 2016") and "ديسمبر" not in arabic
    assert "Dec" in english
    assert "50,000" in english and arabic != english
