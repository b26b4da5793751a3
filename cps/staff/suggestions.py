"""The city classifier's guess of a category, shown to staff for complaints not yet classified."""

from dataclasses import dataclass

from flask_babel import format_percent

from cps.cities.models import Category
from cps.classify.suggest import suggest


@dataclass(frozen=True)
class Suggestion:
    """A category the classifier suggests, and how sure it is (0 to 1)."""

    category: Category
    confidence: float

    @property
    def percent(self) -> str:
        """The confidence as a percentage in the reader's language, e.g. "83%"."""
        return format_percent(self.confidence)


def suggestion_for(complaint) -> Suggestion | None:
    """The suggestion for a complaint without a category, if its city has a used model."""
    if complaint.category_id is not None:
        return None
    found = suggest(complaint.city, complaint.description)
    return Suggestion(*found) if found else None


def suggestions_for(complaints) -> dict[int, Suggestion]:
    """{complaint id: suggestion} for the complaints of a queue page that have one."""
    found = {c.id: suggestion_for(c) for c in complaints}
    return {cid: s for cid, s in found.items() if s is not None}
