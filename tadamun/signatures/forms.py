"""The public sign-on form: what an organization tells us, checked on the server."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import dedupe
from .models import SignOn


class SignOnForm(forms.Form):
    country = forms.CharField(label=_("Country"), max_length=100)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    website = forms.URLField(
        label=_("Website"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("Helps the organizers check that the sign-on is genuine."),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    contact_role = forms.CharField(
        label=_("Your role in the organization"),
        max_length=200,
        help_text=_("For example: director, board member, communications officer."),
    )
    listing = forms.ChoiceField(
        label=_("How should your organization appear?"),
        choices=SignOn.Listing.choices,
        initial=SignOn.Listing.NAMED,
        widget=forms.RadioSelect,
    )
    pauses_work = forms.BooleanField(
        label=_("Our organization pauses work on the strike day"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I may sign for this organization. I understand that the organizers keep my name, "
            "role and e-mail address only to check and manage this sign-on, that they are never "
            "published, and that they are deleted when the statement's retention period ends."
        ),
        error_messages={"required": _("Please confirm that you may sign and that you agree.")},
    )

    def __init__(self, *args, statement, **kwargs):
        super().__init__(*args, **kwargs)
        self.statement = statement
        names = dict(settings.LANGUAGES)
        name_fields = {}
        for code in statement.languages:
            name_fields[f"name_{code}"] = forms.CharField(
                label=_("Organization name in %(language)s") % {"language": names.get(code, code)},
                max_length=200,
                required=False,
                widget=forms.TextInput(
                    attrs={"lang": code, "dir": "auto", "autocomplete": "organization"}
                ),
            )
        # Names first: they are what a signer expects to be asked.
        self.fields = {**name_fields, **self.fields}
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        if not statement.strike_days.exists():
            del self.fields["pauses_work"]

    def clean(self):
        data = super().clean()
        names = {}
        for code in self.statement.languages:
            name = dedupe.clean(data.get(f"name_{code}", ""))
            if name and not dedupe.name_key(name):
                self.add_error(f"name_{code}", _("Please write the name with letters or digits."))
            elif name:
                names[code] = name
        if not names and not self.errors:
            first = f"name_{self.statement.languages[0]}"
            self.add_error(
                first, _("Please give the organization's name in at least one language.")
            )
        data["names"] = names
        for field in ("country", "city", "contact_name", "contact_role"):
            if field in data:
                data[field] = dedupe.clean(data[field])
        return data
