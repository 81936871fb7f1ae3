"""Who works for a coalition: owners give a colleague a role by e-mail address, change it or
take it away. One role per coalition (the database says so too), and at least one owner."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tadamun.audit import models as audit
from tadamun.statements.models import Coalition, Membership

from .tasks import send_invitation

OWNER = Membership.Role.OWNER


class TeamError(ValueError):
    """A change the rules refuse; its text is shown to the owner as it is."""


def account_for(email: str):
    """The account known by this address (as its e-mail or its user name), or None."""
    User = get_user_model()
    found = list(User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))[:2])
    if len(found) > 1:
        raise TeamError(
            _("Several accounts use %(email)s: ask an administrator which one to use.")
            % {"email": email}
        )
    return found[0] if found else None


def give_role(coalition: Coalition, email: str, role: str, by, language: str) -> Membership:
    """Give the colleague at `email` a role, creating their account if they have none; they
    are told by e-mail, with a link to choose a password when they have none yet."""
    email = email.strip().lower()
    with transaction.atomic():
        user = account_for(email)
        if user is None:
            user = get_user_model()(username=email, email=email, is_staff=True)
            user.set_unusable_password()
            user.save()
        elif not user.is_active:
            raise TeamError(
                _("The account of %(email)s is switched off: ask an administrator.")
                % {"email": email}
            )
        elif Membership.objects.filter(user=user, coalition=coalition).exists():
            raise TeamError(
                _("%(email)s already has a role in this coalition: change it in the list.")
                % {"email": email}
            )
        if not user.is_staff:
            user.is_staff = True  # the desk is for staff accounts
            user.save(update_fields=["is_staff"])
        membership = Membership(user=user, coalition=coalition, role=role)
        # The audit log's entry is written when the role is saved, whichever page saves it
        # (tadamun/accounts/receivers.py).
        membership.changed_by = by
        try:
            with transaction.atomic():
                membership.save(force_insert=True)
        except IntegrityError:
            raise TeamError(
                _("%(email)s already has a role in this coalition: change it in the list.")
                % {"email": email}
            ) from None
        send_invitation.enqueue(membership.pk, language)
    return membership


def keeps_an_owner(membership: Membership) -> bool:
    """Whether the coalition still has an owner without this one."""
    return (
        membership.role != OWNER
        or Membership.objects.filter(coalition_id=membership.coalition_id, role=OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )


def locked(membership: Membership) -> Membership:
    """The membership again, with every membership of its coalition locked, so that two
    owners stepping down at once cannot leave the coalition without one."""
    rows = Membership.objects.select_for_update().filter(coalition_id=membership.coalition_id)
    return next(row for row in rows.select_related("coalition") if row.pk == membership.pk)


def change_role(membership: Membership, role: str, by) -> None:
    with transaction.atomic():
        membership = locked(membership)
        if role != OWNER and not keeps_an_owner(membership):
            raise TeamError(
                _("A coalition keeps at least one owner: give the role to another first.")
            )
        membership.role = role
        # Saving it ends the colleague's sessions and API tokens and writes the audit log
        # (tadamun/accounts/receivers.py).
        membership.changed_by = by
        membership.save(update_fields=["role"])


def remove(membership: Membership, by) -> None:
    with transaction.atomic():
        membership = locked(membership)
        if not keeps_an_owner(membership):
            raise TeamError(
                _("A coalition keeps at least one owner: give the role to another first.")
            )
        # As a change of role (tadamun/accounts/receivers.py).
        membership.changed_by = by
        membership.delete()


def invite_again(membership: Membership, language: str, by) -> None:
    """Send the message again, for a colleague who has not chosen a password yet."""
    audit.log(by, "invited again", membership.coalition, colleague=membership.user_id)
    send_invitation.enqueue(membership.pk, language)
