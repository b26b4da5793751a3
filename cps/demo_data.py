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

# Complaint texts per city and language (a complaint is filed in the language of its text); a
# city without its own texts gets San Fernando's, in those of its languages they are written in.
TEXTS = {
    "san-fernando-la-union": {
        "en": {
            "pothole": [
                "Deep pothole near the corner, motorcycles swerve to avoid it.",
                "The road is broken after the rain, tricycles get stuck."],
            "garbage": [
                "Garbage has not been collected for a week, it smells badly.",
                "Sacks of garbage piled up beside the chapel."],
            "illegal-dumping": [
                "Someone dumps construction waste on the vacant lot at night.",
                "Plastic waste dumped along the beach."],
            "flooding": [
                "The canal is clogged and the street floods every time it rains.",
                "Water stays knee-deep for hours after the rain."],
            "streetlight": [
                "Street light has been off for two weeks, the area is very dark.",
                "The lamp flickers all night."],
            "water-leak": [
                "Water pipe leaking on the sidewalk since yesterday.",
                "Burst pipe, water running into the street."],
            "stray-animals": [
                "Pack of stray dogs chasing children on their way to school.",
                "Stray dogs tearing garbage bags every morning."],
            "noise": [
                "Videoke until 2 am every night next door.",
                "Construction work with loud machines at night."],
            "traffic": [
                "Tricycles park on the sidewalk and block the road.",
                "Delivery trucks block the street every morning."],
            "health-hazard": [
                "Stagnant water with mosquitoes behind the houses, dengue cases nearby.",
                "Open septic tank overflowing near the school."],
            "other": [
                "Fallen tree branch blocking part of the footpath.",
                "Graffiti on the wall of the barangay hall."],
        },
        "fil": {
            "pothole": ["Malaking lubak sa gitna ng kalsada, delikado sa gabi."],
            "garbage": ["Hindi pa nakokolekta ang basura mula noong Lunes."],
            "illegal-dumping": ["May nagtatapon ng basura sa tabi ng ilog."],
            "flooding": ["Baha sa harap ng paaralan, barado ang kanal."],
            "streetlight": ["Patay ang ilaw sa poste malapit sa tindahan."],
            "water-leak": ["May tagas ang tubo ng tubig sa kanto."],
            "stray-animals": ["Maraming askal sa palengke, may nakagat na bata."],
            "noise": ["Sobrang ingay ng videoke hanggang madaling araw."],
            "traffic": ["Sira ang karatula ng stop sign sa interseksyon."],
            "health-hazard": ["May patay na aso sa tabi ng kalsada, mabaho na."],
            "other": ["Sirang bench sa plaza."],
        },
    },
    "pokhara": {
        "ne": {
            "garbage": ["हप्ता दिनदेखि फोहोर उठाइएको छैन, गन्ध आउन थाल्यो।",
                        "बिहान फोहोर उठाउने गाडी आएन, सडकमा फोहोरको थुप्रो छ।"],
            "illegal-dumping": ["राति कसैले खोलाको किनारमा निर्माणको फोहोर फाल्छ।",
                                "खाली जग्गामा प्लास्टिकको फोहोर फालिएको छ।"],
            "pothole": ["सडकको बीचमा ठूलो खाल्डो छ, मोटरसाइकल चालकलाई खतरा छ।",
                        "वर्षापछि कालोपत्रे उप्किएको छ।"],
            "streetlight": ["दुई हप्तादेखि सडक बत्ती बलेको छैन, राति निकै अँध्यारो हुन्छ।",
                            "पसल नजिकैको पोलको बत्ती रातभर झिमझिम गर्छ।"],
            "water-leak": ["हिजोदेखि फुटपाथमा खानेपानीको पाइप चुहिरहेको छ।",
                           "पाइप फुटेर पानी सडकमा बगिरहेको छ।"],
            "flooding": ["ढल जाम भएकाले पानी पर्दा सडक डुबान हुन्छ।",
                         "विद्यालय अगाडि पानी जम्छ, ढल बन्द छ।"],
            "landslide": ["पहिरोले सडकको आधा भाग छोपेको छ, गाडी चल्न गाह्रो छ।",
                          "पहाडबाट ढुङ्गा र माटो सडकमा खसेको छ।"],
            "stray-animals": ["छाडा कुकुरहरूले विद्यालय जाने बालबालिकालाई लखेट्छन्।",
                              "छाडा गाईवस्तुले बिहान बजार क्षेत्र जाम गर्छन्।"],
            "noise": ["छिमेकमा राति अबेरसम्म ठूलो आवाजमा गीत बज्छ।",
                      "राति मेसिन चलाएर निर्माण काम गरिन्छ।"],
            "illegal-construction": ["ताल किनारको सार्वजनिक जग्गामा अनुमति बिना घर बनाइँदैछ।",
                                     "फुटपाथ मिचेर पसलको छाना बनाइएको छ।"],
            "other": ["रूखको हाँगा भाँचिएर पैदल मार्ग छेकिएको छ।", "पार्कको बेन्च भाँचिएको छ।"],
        },
        "en": {
            "garbage": ["Garbage has not been collected near the chowk for a week."],
            "illegal-dumping": ["Someone dumps construction waste by the river at night."],
            "pothole": ["Deep pothole on the road to Lakeside, motorbikes swerve around it."],
            "streetlight": ["The street light has been off for two weeks; the lane is very dark."],
            "water-leak": ["A water pipe has been leaking on the footpath since yesterday."],
            "flooding": ["The drain is blocked and the street floods whenever it rains."],
            "landslide": ["A landslide covers half of the road after last night's rain."],
            "stray-animals": ["Stray cattle block the road near the market every morning."],
            "noise": ["Construction machines run late at night next door."],
            "illegal-construction": ["A building is going up on public land by the lake without "
                                     "a permit."],
            "other": ["A fallen branch blocks part of the footpath."],
        },
    },
}
CHANNELS = [Channel.WEB] * 5 + [Channel.SMS] * 4 + [Channel.OPEN311, Channel.PHONE,
                                                     Channel.COUNTER]
PATH = [State.ACKNOWLEDGED, State.IN_PROGRESS, State.RESOLVED, State.CLOSED]
# What staff tell citizens at each step, in the city's main language (else English).
UPDATES = {
    "en": {
        State.ACKNOWLEDGED: "We have received your report and assigned it to our team.",
        State.IN_PROGRESS: "Our team is working on it.",
        State.RESOLVED: "The problem has been fixed. Thank you for reporting it.",
        State.CLOSED: "This complaint is now closed.",
        State.REJECTED: "This is outside the city's responsibility; we passed it to the owner.",
    },
    "ne": {
        State.ACKNOWLEDGED: "तपाईंको उजुरी प्राप्त भयो र सम्बन्धित टोलीलाई जिम्मा दिइएको छ।",
        State.IN_PROGRESS: "हाम्रो टोलीले काम सुरु गरेको छ।",
        State.RESOLVED: "समस्या समाधान भएको छ। जानकारी दिनुभएकोमा धन्यवाद।",
        State.CLOSED: "यो उजुरी अब बन्द गरिएको छ।",
        State.REJECTED: "यो नगरपालिकाको जिम्मेवारीभित्र पर्दैन; सम्बन्धित निकायलाई पठाइएको छ।",
    },
}


def make_complaints(city: City, count: int, rng: random.Random) -> int:
    """Add `count` complaints with histories to `city`; flushes, the caller commits."""
    districts = db.session.scalars(select(District).where(District.city_id == city.id)).all()
    categories = db.session.scalars(
        select(Category).where(Category.city_id == city.id, Category.active)).all()
    # A district known by name only gets complaints without a point, as citizens file them.
    shapes = {d.id: to_shape(d.geom) if d.geom is not None else None for d in districts}
    now, updates = utcnow(), UPDATES.get(city.default_locale, UPDATES["en"])
    for _ in range(count):
        district, category = rng.choice(districts), rng.choice(categories)
        # Skewed towards recent days, like real intake; up to about 120 days back.
        days = rng.uniform(0, 120) ** 1.2 / 1.6
        created = now - timedelta(days=days, minutes=rng.randint(0, 600))
        complaint = _complaint(city, district, category, created, shapes[district.id], rng)
        db.session.add(complaint)
        _history(complaint, created, now, updates, rng)
    db.session.flush()
    return count


def _text(city, code: str, rng) -> tuple[str, str]:
    """A complaint text for category `code` in one of the city's languages, and that language."""
    texts = TEXTS.get(city.slug) or TEXTS["san-fernando-la-union"]
    languages = [code_ for code_ in city.locales if code_ in texts] or ["en"]
    language = rng.choice(languages)
    by_category = texts[language]
    return rng.choice(by_category.get(code) or by_category["other"]), language


def _complaint(city, district, category, created, shape, rng) -> Complaint:
    text, language = _text(city, category.code, rng)
    return Complaint(
        city_id=city.id, reference=new_reference(city.reference_prefix), category_id=category.id,
        channel=rng.choice(CHANNELS), description=text,
        point=from_shape(_point_in(shape, rng), srid=4326) if shape is not None else None,
        district_id=district.id,
        department_id=route(city, category.id, district.id), created_at=created,
        updated_at=created, reporter_locale=language,
        deadline=deadline_for(city, created, category.deadline_days), state=State.RECEIVED,
    )


def _point_in(shape, rng) -> Point:
    minx, miny, maxx, maxy = shape.bounds
    while True:
        point = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if shape.contains(point):
            return point


def _history(complaint: Complaint, created: datetime, now: datetime, updates: dict,
             rng) -> None:
    complaint.events.append(ComplaintEvent(
        city_id=complaint.city_id, kind="created", actor_label=complaint.channel.value,
        to_state=State.RECEIVED, created_at=created))
    age_days = (now - created).days
    steps = min(len(PATH), int(rng.uniform(0, 1.2) * (1 + age_days / 12)))
    when = created
    for state in _path(steps, rng):
        when = min(now, when + timedelta(hours=rng.uniform(2, 24 * 6)))
        _move(complaint, state, when, updates[state])


def _path(steps: int, rng) -> list[State]:
    if steps and rng.random() < 0.05:
        return [State.ACKNOWLEDGED, State.REJECTED]
    return PATH[:steps]


def _move(complaint: Complaint, state: State, when: datetime, public_text: str) -> None:
    complaint.events.append(ComplaintEvent(
        city_id=complaint.city_id, kind="state", actor_label="staff", from_state=complaint.state,
        to_state=state, public_text=public_text, created_at=when))
    complaint.state, complaint.updated_at = state, when
    stamp = {State.ACKNOWLEDGED: "acknowledged_at", State.RESOLVED: "resolved_at",
             State.CLOSED: "closed_at", State.REJECTED: "closed_at"}.get(state)
    if stamp:
        setattr(complaint, stamp, when)
