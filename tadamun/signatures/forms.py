"""The public sign-on form: what an organization tells us, checked on the server."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import addresses, dedupe
from .models import Pledge, SignOn


class HoneypotMixin(forms.Form):
    """A field people never see or fill; software that fills every field gives itself away."""

    homepage = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_spam(self) -> bool:
        return bool(self.data.get("homepage"))


class SignOnForm(HoneypotMixin):
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
        # Names first: they are what a signer expects to be asked; the honeypot last.
        self.fields = {**name_fields, **self.fields}
        self.fields["homepage"] = self.fields.pop("homepage")
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


class PledgeForm(HoneypotMixin):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_(
            "Only to confirm your pledge. Once you confirm, it is replaced by a code that "
            "cannot be turned back into the address, unless you ask for updates below."
        ),
    )
    category = forms.ModelChoiceField(
        label=_("Which describes you best?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    appearance = forms.ChoiceField(
        label=_("How do you want to appear?"),
        choices=Pledge.Appearance.choices,
        initial=Pledge.Appearance.COUNTED,
        widget=forms.RadioSelect,
    )
    public_name = forms.CharField(
        label=_("Public name"),
        max_length=100,
        required=False,
        help_text=_("Only if you chose to appear by a public name. It need not be your real name."),
    )
    work_email = forms.EmailField(
        label=_("Work e-mail address"),
        max_length=254,
        required=False,
        help_text=_(
            "To show that you work for an organization. We send it a link; once confirmed, only "
            "its domain is kept, and it is shown only in figures with random noise, for domains "
            "with many people. Your "
            "employer may be able to read messages sent to this address."
        ),
    )
    joins_strike = forms.BooleanField(label=_("I join the strike day"), required=False)
    wants_updates = forms.BooleanField(
        label=_("Send me updates about this statement (we then keep my address until I stop them)"),
        required=False,
    )

    def __init__(self, *args, statement, **kwargs):
        super().__init__(*args, **kwargs)
        self.statement = statement
        categories = statement.pledge_categories.all()
        if categories:
            self.fields["category"].queryset = categories
            self.fields["category"].label_from_instance = str
        else:
            del self.fields["category"]
        if not statement.strike_days.exists():
            del self.fields["joins_strike"]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        # The honeypot goes last, after the fields a person fills.
        self.fields["homepage"] = self.fields.pop("homepage")

    def clean(self):
        data = super().clean()
        for field in ("city", "public_name"):
            if field in data:
                data[field] = dedupe.clean(data[field])
        if data.get("appearance") == Pledge.Appearance.NAMED and not data.get("public_name"):
            self.add_error(
                "public_name", _("Please give the name to show, or choose another way to appear.")
            )
        email, work = data.get("email"), data.get("work_email")
        if email and work and addresses.normalize(email) == addresses.normalize(work):
            self.add_error(
                "work_email", _("Give a different address from your own, or leave it empty.")
            )
        return data
