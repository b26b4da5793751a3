"""Open311 errors: the spec's shape (a list of {code, description}) with an HTTP status."""

from cps.open311.formats import respond


class Open311Error(Exception):
    """A refused request: HTTP `status`, and a translated `description` for the client."""

    def __init__(self, status: int, description, code: int | str | None = None):
        super().__init__(str(description))
        self.status, self.description = status, str(description)
        self.code = code if code is not None else status

    def response(self, fmt: str):
        return respond(fmt, "errors", [{"code": self.code, "description": self.description}],
                       self.status)


class BadRequest(Open311Error):
    def __init__(self, description, code=None):
        super().__init__(400, description, code)


class Forbidden(Open311Error):
    def __init__(self, description, code=None):
        super().__init__(403, description, code)


class NotFound(Open311Error):
    def __init__(self, description, code=None):
        super().__init__(404, description, code)
