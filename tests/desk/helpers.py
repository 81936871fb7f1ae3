"""Organizers and sign-ons for the desk's tests, built in code."""

from django.contrib.auth.models import User
from django.utils import timezone

from tadamun.signatures.models import Organization, SignOn
from tadamun.statements.models import Membership


def organizer(coalition, role="moderator", name=None):
    name = name or f"{role}-{coalition.slug}"
    user = User.objects.create_user(
        name, email=f"{name}@example.org", password="a-long-password-1", is_staff=True
    )
    Membership.objects.create(user=user, coalition=coalition, role=role)
    return user


def waiting(statement, name="Baytna Syria", email="rima@baytnasyria.org", **fields):
    """A sign-on confirmed by e-mail and waiting for a decision, as the form leaves it: a
    new organization is proposed by it; a listed one is claimed, and held when the address
    is outside its approved domain."""
    names = fields.pop("names", {"en": name})
    fields.setdefault("website", "https://baytnasyria.org")
    organization = Organization.for_submission(
        names, statement.coalition_id, country="Syria", website=fields["website"]
    )
    claim = organization.is_known
    return SignOn.objects.create(
        statement=statement,
        organization=organization,
        claim=claim,
        held=claim and organization.domain_matches(email) is not True,
        version=statement.current_version,
        submitted_name=names,
        country="Syria",
        contact_name="Rima Haddad",
        contact_email=email,
        contact_role="Director",
        status=SignOn.Status.PENDING,
        confirmed_at=timezone.now(),
        language="en",
        **fields,
    )
