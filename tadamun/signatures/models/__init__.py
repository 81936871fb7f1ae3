"""Organizations, their sign-ons and individual pledges."""

from .organizations import Organization, OrganizationName
from .signons import SignOn

__all__ = ["Organization", "OrganizationName", "SignOn"]
