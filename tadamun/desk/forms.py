"""The desk's forms. The statement side: a coalition, a statement and its demands, strike days
and updates, every text with one box per language, laid out side by side. Then moderation,
the team, imports and the strike-day notice."""

import datetime
import re
import zoneinfo

from babel.dates import get_timezone_location
from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.text import slugify
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from tadamun.localization import format_number, locale_for
from tadamun.signatures import imports
from tadamun.statements.models import (
    Coalition,
    Demand,
    DemandUpdate,
    Membership,
    Statement,
    StrikeDay,
    Update,
)


def language_name(code: str) -> str:
    """The language's name in the page's language ("Arabic" on English pages, «العربية»…)."""
    return str(dict(settings.LANGUAGES).get(code, code))


class SideBySide:
    """A form mixin: `texts = {"name": (label, textarea, max_length)}` becomes one field per
    configured language (name_ar, name_en…), shown in one column per language."""

    texts: dict = {}

    def add_text_fields(self, initial: dict | None = None) -> None:
        initial = initial or {}
        for name, (label, textarea, max_length) in self.texts.items():
            for code, _name in settings.LANGUAGES:
                info = get_language_info(code)
                attrs = {"lang": code, "dir": "rtl" if info["bidi"] else "ltr"}
                widget = (
                    forms.Textarea(attrs={**attrs, "rows": 14 if name == "body" else 4})
                    if textarea
                    else forms.TextInput(attrs=attrs)
                )
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=max_length,
                    widget=widget,
                    initial=(initial.get(name) or {}).get(code, ""),
                )

    def columns(self) -> list[dict]:
        """For the template: per language, its code, direction, name and its bound fields."""
        return [
            {
                "code": code,
                "rtl": get_language_info(code)["bidi"],
                "name": language_name(code),
                "fields": [self[f"{name}_{code}"] for name in self.texts],
            }
            for code, _name in settings.LANGUAGES
        ]

    def text(self, name: str) -> dict:
        """{language: text} of the filled boxes of one text."""
        found = {}
        for code, _name in settings.LANGUAGES:
            value = (self.cleaned_data.get(f"{name}_{code}") or "").strip()
            if value:
                found[code] = value
        return found

    def require_texts(self, languages, names=None, message=None) -> None:
        """Each text in `names` must be written in each of `languages`."""
        for code in languages:
            for name in names or self.texts:
                if not (self.cleaned_data.get(f"{name}_{code}") or "").strip():
                    label = self.texts[name][0]
                    self.add_error(
                        f"{name}_{code}",
                        (
                            message
                            or _("Write the %(text)s in %(language)s, or untick %(language)s.")
                        )
                        % {"text": str(label).lower(), "language": language_name(code)},
                    )


def unique_slug(model, text: str, fallback: str) -> str:
    """A web address for a new object from its name: Latin letters and digits, made unique
    with a number. A name in Arabic script only gives the fallback."""
    base = slugify(text)[:40].strip("-") or fallback
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def latin_name(texts: dict) -> str:
    """The first of the texts that gives a web address (English first, then any)."""
    for code in ("en", *texts):
        if slugify(texts.get(code, "")):
            return texts[code]
    return ""


class WebAddress:
    """The optional short name in web addresses, checked in words a coordinator knows (the
    model's own messages speak of a "slug")."""

    def setup_slug(self) -> None:
        self.fields["slug"].required = False
        self.fields["slug"].validators = []

    def clean_slug(self) -> str:
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if not slug:
            return ""
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
            raise forms.ValidationError(
                _("Use only Latin letters, digits and hyphens, for example %(example)s."),
                params={"example": slugify(slug) or "aleppo-2016"},
            )
        taken = self._meta.model.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This address is taken already: choose another."))
        return slug


SLUG_HELP = _(
    "The last part of the statement's web address, in Latin letters, digits and hyphens. "
    "Left empty, it is made from the English title. It cannot change once published."
)


class CoalitionForm(WebAddress, SideBySide, forms.ModelForm):
    texts = {"name": (_("Name"), False, 200)}

    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Coalition
        fields = ["website", "slug"]
        labels = {"slug": _("Short name in web addresses")}
        help_texts = {
            "slug": _(
                "Latin letters, digits and hyphens. Left empty, it is made from the English name."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_slug()
        self.add_text_fields()

    def clean(self):
        data = super().clean()
        if not self.text("name"):
            self.add_error(
                f"name_{settings.LANGUAGES[0][0]}",
                _("Give the coalition's name in at least one language."),
            )
        return data

    def save(self, commit: bool = True) -> Coalition:
        coalition = super().save(commit=False)
        coalition.name = self.text("name")
        if not coalition.slug:
            coalition.slug = unique_slug(Coalition, latin_name(coalition.name), "coalition")
        if commit:
            coalition.save()
        return coalition


class StatementForm(WebAddress, SideBySide, forms.ModelForm):
    texts = {"title": (_("Title"), False, 300), "body": (_("Text"), True, None)}

    languages = forms.MultipleChoiceField(
        label=_("Languages it is published in"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one language.")},
    )
    authoritative_language = forms.ChoiceField(
        label=_("Authoritative language"),
        choices=[],
        widget=forms.RadioSelect,
        help_text=_("The language whose text prevails; pages in other languages say so."),
    )

    class Meta:
        model = Statement
        fields = ["kind", "languages", "authoritative_language", "slug"]
        labels = {"kind": _("Kind"), "slug": _("Web address")}
        help_texts = {"slug": SLUG_HELP}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(code, language_name(code)) for code, _name in settings.LANGUAGES]
        self.fields["languages"].choices = choices
        self.fields["authoritative_language"].choices = choices
        # A published statement's address is in links already shared, and in its versions.
        if self.instance.current_version_id:
            del self.fields["slug"]
        else:
            self.setup_slug()
        self.add_text_fields(
            {"title": self.instance.title, "body": self.instance.body} if self.instance.pk else {}
        )

    def clean(self):
        data = super().clean()
        self.require_texts(data.get("languages") or [])
        return data

    def save(self, commit: bool = True) -> Statement:
        statement = super().save(commit=False)
        statement.title = self.text("title")
        statement.body = self.text("body")
        if not statement.slug:
            statement.slug = unique_slug(Statement, latin_name(statement.title), "statement")
        if commit:
            statement.save()
        return statement


class DemandForm(SideBySide, forms.Form):
    texts = {"text": (_("Demand"), True, None)}

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    position = forms.IntegerField(
        label=_("Order"), required=False, min_value=1, max_value=999, widget=forms.NumberInput
    )
    remove = forms.BooleanField(label=_("Remove this demand"), required=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.add_text_fields(self.initial)
        self.fields["position"].widget.attrs.update({"size": 3, "inputmode": "numeric"})

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("id") and not self.text("text")

    def clean(self):
        data = super().clean()
        if data.get("remove") or self.is_blank():
            return data
        self.require_texts(
            self.languages,
            message=_("Write this demand in %(language)s too, or tick “Remove this demand”."),
        )
        return data


class BaseDemandFormSet(forms.BaseFormSet):
    def __init__(self, *args, statement: Statement, **kwargs):
        self.statement = statement
        self.known = {d.pk: d for d in statement.demands.all()} if statement.pk else {}
        super().__init__(*args, **kwargs)

    def clean(self):
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            pk = form.cleaned_data.get("id")
            if pk and pk not in self.known:
                form.add_error(None, _("This demand no longer exists. Reload the page."))
            elif pk and form.cleaned_data.get("remove") and self.known[pk].updates.exists():
                form.add_error(
                    "remove",
                    _(
                        "This demand has dated updates on the public record, so it stays. "
                        "Change its text instead."
                    ),
                )

    def save(self) -> None:
        """Create, change, remove and renumber the demands, in the order asked for."""
        kept = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or form.is_blank():
                continue
            demand = self.known.get(data.get("id")) or Demand(statement=self.statement)
            if data.get("remove"):
                if demand.pk:
                    demand.delete()
                continue
            demand.text = form.text("text")
            kept.append((data.get("position") or 1000, index, demand))
        for position, (_order, _index, demand) in enumerate(sorted(kept), start=1):
            demand.position = position
            demand.save()


def demand_formset(statement: Statement, data=None, languages=()) -> BaseDemandFormSet:
    """The demands of `statement` and blank rows for new ones (three on a new statement)."""
    demands = list(statement.demands.all()) if statement.pk else []
    initial = [{"id": d.pk, "position": d.position, "text": d.text} for d in demands]
    formset_class = forms.formset_factory(
        DemandForm,
        formset=BaseDemandFormSet,
        extra=max(1, 3 - len(demands)),
        max_num=100,
        absolute_max=100,
    )
    return formset_class(
        data,
        initial=initial,
        prefix="demands",
        statement=statement,
        form_kwargs={"languages": languages},
    )


# Where coalitions' members mostly are: Syria, its neighbours and the diaspora. A strike day in
# another zone keeps its zone in the list (see zone_choices).
TIME_ZONES = [
    "Asia/Damascus",
    "Asia/Beirut",
    "Asia/Amman",
    "Asia/Baghdad",
    "Europe/Istanbul",
    "Africa/Cairo",
    "Asia/Riyadh",
    "Asia/Qatar",
    "Asia/Dubai",
    "Asia/Kuwait",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Vienna",
    "Europe/Stockholm",
    "Europe/Copenhagen",
    "Europe/Oslo",
    "Europe/Athens",
    "Europe/Rome",
    "Europe/Madrid",
    "Europe/Zurich",
    "Europe/London",
    "America/Toronto",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "UTC",
]


def zone_name(zone: str, language: str | None = None) -> str:
    """A time zone as a person names it: the city, then the country's time (no tz code)."""
    if zone == "UTC":
        return str(_("Coordinated Universal Time (UTC)"))
    locale = locale_for(language)
    city = get_timezone_location(zone, locale=locale, return_city=True)
    region = get_timezone_location(zone, locale=locale)
    return f"{city} — {region}"


def zone_choices(current: str = "") -> list[tuple[str, str]]:
    zones = list(TIME_ZONES)
    if current and current not in zones:
        zones.append(current)
    first, *rest = zones
    named = [(zone, zone_name(zone)) for zone in rest]
    return [(first, zone_name(first)), *sorted(named, key=lambda choice: choice[1])]


class StrikeDayForm(forms.ModelForm):
    class Meta:
        model = StrikeDay
        fields = ["date", "start_time", "end_time", "time_zone"]
        labels = {
            "date": _("Date"),
            "start_time": _("Starts at"),
            "end_time": _("Ends at"),
            "time_zone": _("Time zone"),
        }
        help_texts = {
            "end_time": _("An end at or before the start means the next day."),
            "time_zone": _("The times above are the local times of this place."),
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = forms.ChoiceField(
            label=_("Time zone"),
            choices=zone_choices(self.instance.time_zone),
            help_text=self.fields["time_zone"].help_text,
        )
        for name in ("date", "start_time", "end_time"):
            self.fields[name].error_messages["invalid"] = {
                "date": _("Give the date as day, month and year."),
                "start_time": _("Give the time as hours and minutes, for example 09:00."),
                "end_time": _("Give the time as hours and minutes, for example 17:00."),
            }[name]

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"]
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(_("Choose a time zone from the list.")) from None
        return zone


def source_lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class DemandUpdateForm(SideBySide, forms.ModelForm):
    texts = {"note": (_("What happened"), True, None)}

    class Meta:
        model = DemandUpdate
        fields = ["status", "date", "sources"]
        labels = {"date": _("Date"), "sources": _("Sources")}
        help_texts = {"sources": _("One web address a line, starting with https:// or http://.")}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sources": forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"] = forms.ChoiceField(
            label=_("Status of the demand"),
            choices=Demand.Status.choices,
            widget=forms.RadioSelect,
        )
        self.fields["date"].initial = datetime.date.today
        self.fields["date"].error_messages["invalid"] = _("Give the date as day, month and year.")
        self.fields["sources"].validators = []
        self.add_text_fields()

    def clean_sources(self) -> str:
        lines = source_lines(self.cleaned_data.get("sources", ""))
        check = URLValidator(schemes=["http", "https"])
        wrong = []
        for line in lines:
            try:
                check(line)
            except forms.ValidationError:
                wrong.append(line)
        if wrong:
            raise forms.ValidationError(
                _("Not a web address (it must start with https:// or http://): %(lines)s"),
                params={"lines": "; ".join(wrong)},
            )
        return "\n".join(lines)

    def clean(self):
        data = super().clean()
        if not self.text("note"):
            self.add_error(
                f"note_{settings.LANGUAGES[0][0]}",
                _("Say what happened, in at least one language."),
            )
        return data

    def save(self, commit: bool = True) -> DemandUpdate:
        update = super().save(commit=False)
        update.note = self.text("note")
        if commit:
            update.save()
        return update


class NewsForm(SideBySide, forms.ModelForm):
    texts = {"title": (_("Title"), False, 300), "body": (_("Text"), True, None)}

    class Meta:
        model = Update
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_text_fields()

    def clean(self):
        data = super().clean()
        titles, bodies = self.text("title"), self.text("body")
        if not titles and not bodies:
            self.add_error(
                f"title_{settings.LANGUAGES[0][0]}",
                _("Write the update in at least one language."),
            )
        for code in set(titles) ^ set(bodies):
            missing = "body" if code in titles else "title"
            self.add_error(
                f"{missing}_{code}",
                _("Write both the title and the text in %(language)s, or neither.")
                % {"language": language_name(code)},
            )
        return data

    def save(self, commit: bool = True) -> Update:
        update = super().save(commit=False)
        update.title = self.text("title")
        update.body = self.text("body")
        if commit:
            update.save()
        return update


# Moderation, team, imports, notices ----------------------------------------------------


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting, which the signer will read"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the reason the signer will read, then reject.")},
    )


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Your colleague's e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role.")},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ImportForm(forms.Form):
    MAX_BYTES = 5_000_000
    MAX_NAMES = imports.MAX_ROWS

    names = forms.CharField(
        label=_("Organization names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_("One a line, or separated by semicolons. Numbering and bullets are removed."),
    )
    file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_(
            'UTF-8 encoded, with a "name" column, or one per language (name_ar, name_en), and '
            'a "country" column if you like; or else the names in its first column.'
        ),
    )
    country = forms.CharField(
        label=_("Country of these organizations"), max_length=100, required=False
    )
    pauses_work = forms.BooleanField(
        label=_("These organizations pause work on the strike day"), required=False
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("The file is too large: send at most 5 MB."))
            content = upload.read(self.MAX_BYTES)
            try:
                content.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("The file is not a CSV file in UTF-8: save it as “CSV UTF-8” and try again.")
                ) from None
            names = None
        else:
            names = imports.parse_names(data.get("names", ""))
        too_long = [name for name in names or [] if len(name) > 200]
        if too_long:
            raise forms.ValidationError(
                _("A name is longer than 200 characters: “%(name)s…”. Is the list split right?")
                % {"name": too_long[0][:60]}
            )
        country = data.get("country", "").strip()
        rows = (
            imports.rows_from_names(names, country)
            if names is not None
            else imports.parse_csv(content, country)
        )
        if not rows:
            raise forms.ValidationError(_("No organization name was found in what you gave."))
        if len(rows) > self.MAX_NAMES:
            raise forms.ValidationError(
                _("That is %(count)s names; import at most %(most)s at a time.")
                % {"count": format_number(len(rows)), "most": format_number(self.MAX_NAMES)}
            )
        data["rows"] = rows
        return data


class NoticeForm(forms.Form):
    """The organizers' words in a strike-day notice, one box per language of the statement."""

    def __init__(self, *args, statement, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        for code in statement.languages:
            self.fields[f"message_{code}"] = forms.CharField(
                label=_("Message in %(language)s") % {"language": names.get(code, code)},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 5, "lang": code, "dir": "auto"}),
            )
        self.codes = list(statement.languages)

    def message(self) -> dict:
        return {
            code: self.cleaned_data[f"message_{code}"].strip()
            for code in self.codes
            if self.cleaned_data.get(f"message_{code}", "").strip()
        }
