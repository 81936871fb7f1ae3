"""Organizations, their sign-ons, individual pledges and notices sent to them."""

from .notices import Delivery, Notice
from .organizations import Organization, OrganizationName
from .pledges import Pledge, PledgeCategory
from .releases import PledgeCounter, PledgeRelease
from .signons import SignOn

__all__ = [
    "Delivery",
    "Notice",
    "Organization",
    "OrganizationName",
    "Pledge",
    "PledgeCategory",
    "PledgeCounter",
    "PledgeRelease",
    "SignOn",
]
