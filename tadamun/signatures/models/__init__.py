"""Organizations, their sign-ons and individual pledges."""

from .organizations import Organization, OrganizationName
from .pledges import Pledge, PledgeCategory, PledgeCell
from .signons import SignOn

__all__ = ["Organization", "OrganizationName", "Pledge", "PledgeCategory", "PledgeCell", "SignOn"]
