"""What the citizen views share: finding a public complaint, the keys this browser holds."""

from flask import abort, current_app, g, session
from sqlalchemy import select

from cps.cities.models import Category
from cps.complaints.keys import holds_key
from cps.complaints.models import Complaint
from cps.complaints.references import normalize
from cps.extensions import db

OWNED = "owned"
OWNED_MAX = 20


def public_complaint(reference: str) -> tuple[Complaint, str]:
    """(complaint, canonical reference) of this city, not hidden; 404 otherwise."""
    canonical = normalize(str(reference)[:40], g.city.reference_prefix)
    complaint = canonical and db.session.scalar(select(Complaint).where(
        Complaint.city_id == g.city.id, Complaint.reference == canonical,
        Complaint.hidden.is_(False)))
    if not complaint:
        abort(404)
    return complaint, canonical


def active_categories() -> list[Category]:
    return db.session.scalars(
        select(Category).where(Category.city_id == g.city.id, Category.active)
        .order_by(Category.position, Category.code)).all()


def remember_key(complaint: Complaint, key: str) -> None:
    """Keep the complaint's private key in this browser's (signed) session."""
    owned = dict(session.get(OWNED) or {})
    owned.pop(complaint.reference, None)
    owned[complaint.reference] = key
    session[OWNED] = dict(list(owned.items())[-OWNED_MAX:])


def browser_key(complaint: Complaint) -> str | None:
    """The complaint's private key if this browser holds it."""
    key = (session.get(OWNED) or {}).get(complaint.reference)
    return key if holds_key(complaint, key) else None


def limit(name: str):
    """A rate limit read from the config at request time (tests and cities may change it)."""
    return lambda: current_app.config[name]
