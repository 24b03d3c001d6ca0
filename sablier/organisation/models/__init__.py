from sablier.organisation.models.audit import OrganisationEvent
from sablier.organisation.models.department import Department, Membership, Organisation
from sablier.organisation.models.notice import Notice
from sablier.organisation.models.token import ApiToken

__all__ = ["ApiToken", "Department", "Membership", "Notice", "Organisation", "OrganisationEvent"]
