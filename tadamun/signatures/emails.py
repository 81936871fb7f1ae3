"""The messages sent to signers: rendered in the signer's language, plain text plus HTML."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tadamun.multilingual import pick


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def signon_message(kind: str, signon) -> EmailMultiAlternatives:
    """`kind` is confirm, approved or rejected."""
    with translation.override(signon.language):
        statement = signon.statement
        version = statement.current_version
        title = (
            version.text(statement.page_language(signon.language))["title"]
            if version
            else pick(statement.title)
        )
        context = {
            "signon": signon,
            "organization": pick(signon.submitted_name, signon.language),
            "title": title,
            "statement_url": absolute(statement.get_absolute_url()),
            "confirm_url": absolute(reverse("signatures:confirm", args=[signon.confirm_token()])),
            "withdraw_url": absolute(
                reverse("signatures:withdraw", args=[signon.withdraw_token()])
            ),
            "hours": settings.CONFIRMATION_HOURS,
            "language": signon.language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
        }
        subject = render_to_string(f"emails/signon_{kind}_subject.txt", context)
        text = render_to_string(f"emails/signon_{kind}.txt", context)
        html = render_to_string(f"emails/signon_{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[signon.contact_email]
    )
    message.attach_alternative(html, "text/html")
    return message
