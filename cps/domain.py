"""Domain errors: typed, translated, with the HTTP status a web channel answers them with."""


class DomainError(Exception):
    """A request the domain refuses; `message` is translated, `code` is stable for APIs."""

    status = 422
    code = "invalid"

    def __init__(self, message, **details):
        super().__init__(str(message))
        self.message = message
        self.details = details
