"""Organizations, their sign-ons, individual pledges and notices sent to them."""

from .notices import Delivery, Notice
from .organizations import ConsentRequired, Organization, OrganizationName
from .pledges import Pledge, PledgeCategory, PledgeCell
from .signons import SignOn

__all__ = [
    "ConsentRequired",
    "Delivery",
    "Notice",
    "Organization",
    "OrganizationName",
    "Pledge",
    "PledgeCategory",
    "PledgeCell",
    "SignOn",
]
