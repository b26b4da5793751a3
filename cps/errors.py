"""Error pages: a translated message and the right status code, never a stack trace."""

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You are not allowed to do that."),
    404: _l("We could not find that page."),
    405: _l("That action is not allowed here."),
    409: _l("Someone else changed this at the same time. Please reload and try again."),
    413: _l("What you sent is too large."),
    422: _l("What you sent could not be processed."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Please try again later."),
}


def register_error_pages(app: Flask) -> None:
    """Render every HTTP error with the site's layout, in the user's language."""

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = error.code or 500
        message = MESSAGES.get(code, error.description)
        if request.path.startswith("/open311/"):   # an API client: the spec's error shape
            from cps.open311.errors import Open311Error

            fmt = "xml" if request.path.endswith(".xml") else "json"
            return Open311Error(code, message).response(fmt)
        return render_template("error.html", code=code, message=message), code
