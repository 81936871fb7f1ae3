"""Text kept in several languages: a JSON field holding {language code: text}, and its form."""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import get_language


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def pick(texts: dict | None, language: str | None = None, fallbacks: list[str] = ()) -> str:
    """The text in `language`, else in the first fallback that has one, else any."""
    if not texts:
        return ""
    language = language or get_language() or settings.LANGUAGE_CODE
    for code in (language, *fallbacks, settings.LANGUAGE_CODE):
        if texts.get(code):
            return texts[code]
    return next((text for text in texts.values() if text), "")


class TranslatedWidget(forms.MultiWidget):
    template_name = "multilingual/widget.html"

    def __init__(self, textarea: bool = False, attrs=None):
        self.codes = language_codes()
        widget = (
            forms.Textarea(attrs={"rows": 16, "cols": 80})
            if textarea
            else forms.TextInput(attrs={"size": 60})
        )
        widgets = {}
        for code in self.codes:
            w = widget.__class__(attrs={**widget.attrs, "lang": code, "dir": "auto"})
            widgets[code] = w
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code in self.codes]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, sub in zip(self.codes, context["widget"]["subwidgets"]):
            sub["language_name"] = names[code]
        return context


class TranslatedFormField(forms.MultiValueField):
    def __init__(self, *, textarea: bool = False, max_length: int | None = None, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        self.codes = language_codes()
        fields = [forms.CharField(required=False, max_length=max_length) for _ in self.codes]
        super().__init__(
            fields=fields,
            widget=TranslatedWidget(textarea=textarea),
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list):
        texts = {code: text.strip() for code, text in zip(self.codes, data_list or []) if text}
        return {code: text for code, text in texts.items() if text}

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class TranslatedField(models.JSONField):
    """A {language code: text} mapping, edited with one input per configured language."""

    def __init__(self, *args, textarea: bool = False, max_length: int | None = None, **kwargs):
        self.textarea = textarea
        self.text_max_length = max_length
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.textarea:
            kwargs["textarea"] = True
        if self.text_max_length:
            kwargs["max_length"] = self.text_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        # Django asks for a hidden "initial" copy of any field whose default is callable; a
        # browser posts that copy back as one string, which a multi-input field cannot read.
        # The change is measured against the object's stored value instead.
        return models.Field.formfield(
            self,
            form_class=TranslatedFormField,
            textarea=self.textarea,
            max_length=self.text_max_length,
            required=not self.blank,
            **{
                k: v
                for k, v in kwargs.items()
                if k not in ("form_class", "widget", "show_hidden_initial")
            },
            show_hidden_initial=False,
        )


class LanguageListField(models.JSONField):
    """A list of language codes, chosen with one checkbox per configured language."""

    def formfield(self, **kwargs):
        return models.Field.formfield(
            self,
            form_class=forms.TypedMultipleChoiceField,
            choices_form_class=None,
            choices=settings.LANGUAGES,
            widget=forms.CheckboxSelectMultiple,
            **{k: v for k, v in kwargs.items() if k not in ("form_class", "widget", "choices")},
            show_hidden_initial=False,
        )
