"""The message that tells a colleague they have a role in a coalition."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tadamun.statements.models import Membership


def set_password_link(user) -> str:
    """A link to the desk's page where `user` chooses a password, in the active language.
    Django's reset token: it stops working once a password is set, or after
    PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "desk:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def invitation(membership_id: int, language: str) -> EmailMultiAlternatives | None:
    membership = (
        Membership.objects.select_related("user", "coalition").filter(pk=membership_id).first()
    )
    if membership is None or not membership.user.email or not membership.user.is_active:
        return None
    user = membership.user
    with translation.override(language):
        context = {
            "coalition": str(membership.coalition),
            "role": membership.get_role_display(),
            "username": user.get_username(),
            "set_password_url": None if user.has_usable_password() else set_password_link(user),
            "desk_url": settings.SITE_URL + reverse("desk:home"),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
        }
        subject = render_to_string("desk/emails/invitation_subject.txt", context)
        text = render_to_string("desk/emails/invitation.txt", context)
        html = render_to_string("desk/emails/invitation.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message
