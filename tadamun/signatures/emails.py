"""The messages sent to signers and pledgers: in their language, plain text plus HTML."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tadamun.multilingual import pick


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


def signon_message(kind: str, pk: int) -> EmailMultiAlternatives | None:
    from .models import SignOn

    signon = SignOn.objects.select_related("statement__current_version").filter(pk=pk).first()
    if signon is None or not signon.contact_email:
        return None
    if kind == "signon_confirm" and signon.status != SignOn.Status.UNCONFIRMED:
        return None
    with translation.override(signon.language):
        links = {
            "confirm_url": link("confirm", signon.token("signon-confirm")),
            "withdraw_url": link("withdraw", signon.token("signon-withdraw")),
        }
    return render(
        kind,
        signon.contact_email,
        signon.language,
        signon.statement,
        {
            **links,
            "signon": signon,
            "organization": pick(signon.submitted_name, signon.language),
            "hours": settings.CONFIRMATION_HOURS,
        },
    )


def pledge_message(kind: str, pk: int) -> EmailMultiAlternatives | None:
    from .models import Pledge

    pledge = Pledge.objects.select_related("statement__current_version").filter(pk=pk).first()
    if pledge is None:
        return None
    if kind == "pledge_work":
        if pledge.work_verified or not pledge.work_email:
            return None
        to = pledge.work_email
    else:
        if not pledge.email or (
            kind == "pledge_confirm" and pledge.status != Pledge.Status.UNCONFIRMED
        ):
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
    "pledge_confirm": pledge_message,
    "pledge_work": pledge_message,
}


def build(kind: str, pk: int) -> EmailMultiAlternatives | None:
    return KINDS[kind](kind, pk)


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
        context = {**links, "organization": pick(signon.submitted_name, language)}
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
    return render("notice_strike", to, language, statement, context)
