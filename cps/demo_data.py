"""Synthetic complaints for the demo city: realistic texts, places, channels, states, history."""

import random
from datetime import datetime, timedelta

from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point
from sqlalchemy import select

from cps.cities.calendar import deadline_for
from cps.cities.models import Category, City
from cps.complaints.models import Channel, Complaint, ComplaintEvent
from cps.complaints.references import new_reference
from cps.complaints.states import State
from cps.db import utcnow
from cps.extensions import db
from cps.routing.models import District
from cps.routing.services import route

TEXTS = {
    "pothole": ["Deep pothole near the corner, motorcycles swerve to avoid it.",
                "Malaking lubak sa gitna ng kalsada, delikado sa gabi.",
                "The road is broken after the rain, tricycles get stuck."],
    "garbage": ["Garbage has not been collected for a week, it smells badly.",
                "Hindi pa nakokolekta ang basura mula noong Lunes.",
                "Sacks of garbage piled up beside the chapel."],
    "illegal-dumping": ["Someone dumps construction waste on the vacant lot at night.",
                        "May nagtatapon ng basura sa tabi ng ilog.",
                        "Plastic waste dumped along the beach."],
    "flooding": ["The canal is clogged and the street floods every time it rains.",
                 "Baha sa harap ng paaralan, barado ang kanal.",
                 "Water stays knee-deep for hours after the rain."],
    "streetlight": ["Street light has been off for two weeks, the area is very dark.",
                    "Patay ang ilaw sa poste malapit sa tindahan.",
                    "The lamp flickers all night."],
    "water-leak": ["Water pipe leaking on the sidewalk since yesterday.",
                   "May tagas ang tubo ng tubig sa kanto.",
                   "Burst pipe, water running into the street."],
    "stray-animals": ["Pack of stray dogs chasing children on their way to school.",
                      "Maraming askal sa palengke, may nakagat na bata.",
                      "Stray dogs tearing garbage bags every morning."],
    "noise": ["Videoke until 2 am every night next door.",
              "Sobrang ingay ng videoke hanggang madaling araw.",
              "Construction work with loud machines at night."],
    "traffic": ["Tricycles park on the sidewalk and block the road.",
                "Sira ang karatula ng stop sign sa interseksyon.",
                "Delivery trucks block the street every morning."],
    "health-hazard": ["Stagnant water with mosquitoes behind the houses, dengue cases nearby.",
                      "May patay na aso sa tabi ng kalsada, mabaho na.",
                      "Open septic tank overflowing near the school."],
    "other": ["Fallen tree branch blocking part of the footpath.",
              "Sirang bench sa plaza.",
              "Graffiti on the wall of the barangay hall."],
}
CHANNELS = [Channel.WEB] * 5 + [Channel.SMS] * 4 + [Channel.OPEN311, Channel.PHONE,
                                                     Channel.COUNTER]
PATH = [State.ACKNOWLEDGED, State.IN_PROGRESS, State.RESOLVED, State.CLOSED]
UPDATES = {
    State.ACKNOWLEDGED: "We have received your report and assigned it to our team.",
    State.IN_PROGRESS: "Our team is working on it.",
    State.RESOLVED: "The problem has been fixed. Thank you for reporting it.",
    State.CLOSED: "This complaint is now closed.",
    State.REJECTED: "This is outside the city's responsibility; we passed it to the owner.",
}


def make_complaints(city: City, count: int, rng: random.Random) -> int:
    """Add `count` complaints with histories to `city`; flushes, the caller commits."""
    districts = db.session.scalars(select(District).where(District.city_id == city.id)).all()
    categories = db.session.scalars(
        select(Category).where(Category.city_id == city.id, Category.active)).all()
    shapes = {d.id: to_shape(d.geom) for d in districts}
    now = utcnow()
    for _ in range(count):
        district, category = rng.choice(districts), rng.choice(categories)
        # Skewed towards recent days, like real intake; up to about 120 days back.
        days = rng.uniform(0, 120) ** 1.2 / 1.6
        created = now - timedelta(days=days, minutes=rng.randint(0, 600))
        complaint = _complaint(city, district, category, created, shapes[district.id], rng)
        db.session.add(complaint)
        _history(complaint, created, now, rng)
    db.session.flush()
    return count


def _complaint(city, district, category, created, shape, rng) -> Complaint:
    return Complaint(
        city_id=city.id, reference=new_reference(city.reference_prefix), category_id=category.id,
        channel=rng.choice(CHANNELS), description=rng.choice(TEXTS.get(category.code, ["…"])),
        point=from_shape(_point_in(shape, rng), srid=4326), district_id=district.id,
        department_id=route(city, category.id, district.id), created_at=created,
        updated_at=created, reporter_locale=rng.choice(city.locales),
        deadline=deadline_for(city, created, category.deadline_days), state=State.RECEIVED,
    )


def _point_in(shape, rng) -> Point:
    minx, miny, maxx, maxy = shape.bounds
    while True:
        point = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if shape.contains(point):
            return point


def _history(complaint: Complaint, created: datetime, now: datetime, rng) -> None:
    complaint.events.append(ComplaintEvent(
        city_id=complaint.city_id, kind="created", actor_label=complaint.channel.value,
        to_state=State.RECEIVED, created_at=created))
    age_days = (now - created).days
    steps = min(len(PATH), int(rng.uniform(0, 1.2) * (1 + age_days / 12)))
    when = created
    for state in _path(steps, rng):
        when = min(now, when + timedelta(hours=rng.uniform(2, 24 * 6)))
        _move(complaint, state, when)


def _path(steps: int, rng) -> list[State]:
    if steps and rng.random() < 0.05:
        return [State.ACKNOWLEDGED, State.REJECTED]
    return PATH[:steps]


def _move(complaint: Complaint, state: State, when: datetime) -> None:
    complaint.events.append(ComplaintEvent(
        city_id=complaint.city_id, kind="state", actor_label="staff", from_state=complaint.state,
        to_state=state, public_text=UPDATES[state], created_at=when))
    complaint.state, complaint.updated_at = state, when
    stamp = {State.ACKNOWLEDGED: "acknowledged_at", State.RESOLVED: "resolved_at",
             State.CLOSED: "closed_at", State.REJECTED: "closed_at"}.get(state)
    if stamp:
        setattr(complaint, stamp, when)
