from sablier.organisation.models.department import Department, Membership, Organisation
from sablier.organisation.models.token import ApiToken

__all__ = ["ApiToken", "Department", "Membership", "Organisation"]
