"""The messages sent to signers and pledgers: in their language, plain text plus HTML.

Every message goes to an address someone typed into a form, so none carries what a submitter
wrote: a sign-on's confirmation and rejection name no organization, and other messages name
it only from its approved record, as plain text a mail client does not turn into a link.

Built from the objects they are about, which the worker loads: this module imports no model.
"""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tadamun.multilingual import pick

from .dedupe import clean

# Anything a mail client may turn into a link: a scheme, an address, "www.", a domain.
LINKABLE = re.compile(r"\S*(?:://|@|www\.|\.[^\W\d_]{2,})\S*", re.IGNORECASE)
# Besides letters, digits and spaces, only what names are written with.
UNNAMELY = re.compile(r"[^\w\s\-'’&().,،]|_")
NAME_LIMIT = 80


def plain_name(name: str) -> str:
    """A name as mail may carry it: no link, address or domain, no markup characters, at
    most NAME_LIMIT characters."""
    text = UNNAMELY.sub(" ", LINKABLE.sub(" ", clean(name)))
    text = " ".join(text.split())
    if len(text) > NAME_LIMIT:
        text = text[: NAME_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return text


def approved_name(signon, language: str) -> str:
    """The organization's name on its approved record, for mail."""
    return plain_name(pick(signon.organization.name, language))


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def link(name: str, token: str) -> str:
    return absolute(reverse(f"signatures:{name}", args=[token]))


def render(template: str, to: str, language: str, statement, context: dict):
    with translation.override(language):
        context = {
            **context,
            # Messages are only about statements with a published text.
            "title": statement.current_title(language),
            "statement_url": absolute(statement.get_absolute_url()),
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
        }
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def signon_message(kind: str, signon) -> EmailMultiAlternatives | None:
    if not signon.contact_email:
        return None
    if kind == "signon_confirm" and not signon.can_confirm():
        return None
    if kind == "signon_details" and not signon.can_change_details():
        return None
    with translation.override(signon.language):
        links = {
            "confirm_url": link("confirm", signon.token("signon-confirm")),
            "withdraw_url": link("withdraw", signon.token("signon-withdraw")),
        }
        if kind == "signon_details":
            links["details_url"] = link("details", signon.token("signon-details"))
    context = {**links, "signon": signon, "hours": settings.CONFIRMATION_HOURS}
    if kind in ("signon_approved", "signon_details"):
        # Approved: the name is now the organization's record, not the submitter's word.
        context["organization"] = approved_name(signon, signon.language)
    return render(kind, signon.contact_email, signon.language, signon.statement, context)


def claim_message(kind: str, signon) -> EmailMultiAlternatives | None:
    """To a listed organization's known contact: someone used its name. Nothing in it comes
    from that someone; the organization's name is the one on its approved record."""
    known = signon.organization.known_contact()
    if known is None:
        return None
    return render(
        kind,
        known.contact_email,
        known.language,
        signon.statement,
        {"organization": approved_name(known, known.language)},
    )


def pledge_message(kind: str, pledge) -> EmailMultiAlternatives | None:
    if kind == "pledge_work":
        if not pledge.can_confirm_work():
            return None
        to = pledge.work_email
    else:
        if not pledge.email or (kind == "pledge_confirm" and not pledge.can_confirm()):
            return None
        to = pledge.email
    with translation.override(pledge.language):
        links = {
            "confirm_url": link("pledge_confirm", pledge.token("pledge-confirm")),
            "work_url": link("pledge_work", pledge.token("pledge-work")),
            "withdraw_url": link("pledge_withdraw", pledge.token("pledge-withdraw")),
            "unsubscribe_url": link("pledge_unsubscribe", pledge.token("pledge-unsubscribe")),
        }
    return render(
        kind,
        to,
        pledge.language,
        pledge.statement,
        {**links, "pledge": pledge, "hours": settings.CONFIRMATION_HOURS},
    )


KINDS = {
    "signon_confirm": signon_message,
    "signon_approved": signon_message,
    "signon_rejected": signon_message,
    "signon_claimed": claim_message,
    "signon_details": signon_message,
    "pledge_confirm": pledge_message,
    "pledge_work": pledge_message,
}


def build(kind: str, about) -> EmailMultiAlternatives | None:
    """The message of `kind` about a sign-on or pledge, or None when there is nothing to send
    (no address any more, or the step it asks for is done)."""
    return KINDS[kind](kind, about)


def notice_message(delivery) -> EmailMultiAlternatives | None:
    """The message of one delivery of a notice, or None when its recipient has no address."""
    notice = delivery.notice
    statement = notice.statement
    if delivery.signon_id:
        signon = delivery.signon
        if not signon.contact_email:
            return None
        to, language = signon.contact_email, signon.language
        with translation.override(language):
            links = {
                "withdraw_url": link("withdraw", signon.token("signon-withdraw")),
                "reconfirm_url": link("reconfirm", signon.token("signon-reconfirm")),
            }
        context = {**links, "organization": approved_name(signon, language)}
    else:
        pledge = delivery.pledge
        if not pledge.email:
            return None
        to, language = pledge.email, pledge.language
        with translation.override(language):
            links = {
                "withdraw_url": link("pledge_withdraw", pledge.token("pledge-withdraw")),
                "unsubscribe_url": link("pledge_unsubscribe", pledge.token("pledge-unsubscribe")),
            }
        context = {**links, "pledge": pledge}
    if notice.kind == notice.Kind.RECONFIRM:
        with translation.override(language):
            context["diff_url"] = absolute(
                reverse(
                    "statements:diff",
                    args=[
                        statement.slug,
                        delivery.signon.version.number if delivery.signon.version else 1,
                        notice.version.number,
                    ],
                )
            )
        return render("signon_reconfirm", to, language, statement, context)
    context["strike_days"] = list(statement.strike_days.all())
    context["message"] = pick(notice.message, language)
    return render("notice_strike", to, language, statement, context)
