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


class PhotoError(ComplaintError):
    """An uploaded file is not a photo that can be used."""

    code = "invalid_photo"


class PhotoTooLarge(PhotoError):
    status = 413
    code = "photo_too_large"


class NotAllowed(ComplaintError):
    """A citizen action that this complaint, or this citizen, cannot take (now)."""

    status = 403
    code = "not_allowed"


class AlreadyDone(ComplaintError):
    """A once-only action (rating) was already taken."""

    status = 409
    code = "already_done"
