"""Why a complaint was refused at intake or in a staff action."""

from cps.domain import DomainError


class ComplaintError(DomainError):
    """The complaint as given cannot be accepted."""

    code = "invalid_complaint"


class UnknownCategory(ComplaintError):
    code = "unknown_category"


class InvalidDescription(ComplaintError):
    code = "invalid_description"


class InvalidAnswer(ComplaintError):
    code = "invalid_answer"


class InvalidContact(ComplaintError):
    code = "invalid_contact"


class TransitionNotAllowed(ComplaintError):
    """The state table forbids this change."""

    status = 409
    code = "transition_not_allowed"
