"""The one error a city pack raises: which file, which key or feature, and what is wrong."""

from flask_babel import gettext as _


class PackError(Exception):
    """A city pack cannot be imported; the message names the file, the place and the problem."""

    def __init__(self, file: str, where: str, problem: str):
        self.file, self.where, self.problem = file, where, problem
        super().__init__(f"{file}: {where}: {problem}" if where else f"{file}: {problem}")


def require(condition: bool, file: str, where: str, problem: str) -> None:
    """Raise PackError(file, where, problem) unless `condition` holds."""
    if not condition:
        raise PackError(file, where, problem)


def missing_key() -> str:
    """The message for a required key that is absent or empty."""
    return _("is required")
