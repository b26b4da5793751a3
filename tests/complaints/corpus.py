"""Complaints as citizens write them, in English, Filipino and Nepali, for classifier tests.

`DESCRIBED` says what is wrong without naming the city's keywords (bins not emptied, knee-deep
water, a dark street), as most real messages do; `NAMED` names the problem with a keyword
("garbage", "baha", "ilaw"), as short SMS do.
"""

import itertools
import random
from datetime import timedelta

from sqlalchemy import select

from cps.cities.models import Category
from cps.complaints.models import Channel, Complaint, ComplaintEvent
from cps.complaints.states import State
from cps.db import utcnow
from cps.extensions import db

DESCRIBED = {
    "garbage": [
        "The bins behind the public market have not been emptied for a week",
        "Plastic bags are piling up at the corner and the smell is unbearable",
        "The truck skipped our street again, sacks of leftovers are rotting on the sidewalk",
        "Flies everywhere near the sari-sari store, nobody came to pick up the bags",
        "Hindi pa kinukuha ang mga supot sa tapat ng bahay namin, isang linggo na",
        "Isang linggo nang hindi dumadaan ang trak, nangangamoy na ang buong kalye",
        "Umaapaw na ang drum sa kanto at pinagpipiyestahan ng langaw",
        "Nagkalat ang mga plastik at tirang pagkain sa gilid ng palengke",
        "तीन दिनदेखि कोही उठाउन आएको छैन, गन्हाएर बस्नै सकिएन",
        "बजार छेउमा प्लास्टिकका झोलाहरू जम्मा भएका छन्, दुर्गन्ध आउँछ",
        "गाडी आउन छोडेको हप्ता भयो, झिंगा भन्किएका छन्",
        "Nobody collects the trash on our street on Tuesdays anymore",
    ],
    "flooding": [
        "Knee-deep water on the street after every heavy rain",
        "Water rises into the houses whenever it pours for an hour",
        "The grates are blocked with mud and leaves so the street turns into a river",
        "After the storm the water has not gone down for two days",
        "Lampas tuhod ang tubig sa kalye tuwing malakas ang ulan",
        "Pumapasok na ang tubig sa mga bahay namin kapag bumubuhos ang ulan",
        "Hindi humuhupa ang tubig dito, dalawang araw na kaming lubog",
        "Parang ilog ang kalye namin pagkatapos ng bagyo, hindi makadaan ang mga sasakyan",
        "पानी पर्नासाथ बाटोमा घुँडासम्म पानी जम्छ",
        "हिजो रातिको पानीले घरभित्र पानी पस्यो, निकास छैन",
        "सडक खोलाजस्तै भएको छ, माटो र पातले प्वाल थुनिएको छ",
        "Barado ang kanal kaya bumabaha agad kahit ambon lang",
    ],
    "streetlight": [
        "It is pitch black on our street at night, the post has been out for weeks",
        "The bulb at the corner keeps flickering and then goes off",
        "Nobody can see anything at night near the chapel, people are afraid to walk home",
        "No illumination near the elementary school since the typhoon",
        "Walang liwanag sa kalye namin gabi-gabi, delikado sa mga estudyante",
        "Kumukurap-kurap ang bumbilya sa kanto tapos namamatay",
        "Sobrang dilim sa daanan pauwi, may nanakawan pa kagabi",
        "Isang buwan nang patay ang ilawan sa tapat ng kapilya",
        "राति बाटो निस्पट्ट हुन्छ, हिँड्न डर लाग्छ",
        "चोक नजिकको खम्बा दुई हप्तादेखि बलेको छैन",
        "विद्यालय अगाडि उज्यालो नहुँदा चोरी बढेको छ",
        "The lamp near the basketball court has been off since Sunday",
    ],
    "stray-animals": [
        "A pack of mongrels bites people near the school gate",
        "Goats wander onto the highway every morning and cause near misses",
        "A rabid-looking mutt is roaming the barangay and chasing children",
        "Someone abandoned puppies in a box beside the church",
        "May mga asong gala na nangangagat malapit sa paaralan",
        "Nagkalat ang mga kambing sa kalsada tuwing umaga",
        "May nakawalang baka sa palengke, muntik nang makabangga ng tricycle",
        "May mukhang may rabies na nag-iikot sa aming lugar, takot ang mga bata",
        "स्कुल नजिक बाख्राहरू सडकमा घुम्छन्, दुर्घटना हुन सक्छ",
        "मन्दिर छेउमा छाडिएका पशुहरूले बाटो छेक्छन्",
        "एउटा बौलाहा जस्तो देखिने जनावरले बच्चालाई लखेट्यो",
        "रातभर कुकुर भुकेर टोलमा कोही सुत्न सकेनन्",
    ],
}
NAMED = {
    "garbage": ["Garbage not collected", "Uncollected garbage again", "Basura hindi kinuha",
                "Ang daming basura"],
    "flooding": ["Flooding again", "Flood in our street", "Baha na naman", "Malalim ang baha"],
    "streetlight": ["Streetlight broken", "Streetlight not working", "Walang ilaw",
                    "Walang ilaw sa kanto"],
    "stray-animals": ["Stray dog biting", "Stray dog again", "Asong ligaw",
                      "Maraming ligaw na hayop"],
}
PLACES = ["near Catbangen plaza", "sa Poro", "along the national highway", "sa tapat ng simbahan",
          "in Pagdaraoan", "sa may Lingsat", "बगरमा", "लेकसाइड नजिक", ""]
CLOSERS = ["", ". Please act soon.", ". Salamat po.", ". Sana maaksyunan agad.", ". कृपया छिटो",
           "!"]


def texts(bank: dict, per_category: int, seed: int = 7) -> list[tuple[str, str]]:
    """(category code, text) pairs, `per_category` of each, in a shuffled order."""
    rng = random.Random(seed)
    pairs = []
    for code, clauses in bank.items():
        cycle = itertools.cycle(rng.sample(clauses, len(clauses)))
        for _ in range(per_category):
            pairs.append((code, f"{next(cycle)} {rng.choice(PLACES)}".strip()
                          + rng.choice(CLOSERS)))
    rng.shuffle(pairs)
    return pairs


def file(city, pairs, confirmed_by=None, start=None) -> list[Complaint]:
    """One complaint per pair, an hour apart in that order, acknowledged by `confirmed_by`."""
    codes = dict(db.session.execute(select(Category.code, Category.id).where(
        Category.city_id == city.id)).all())
    start = start or utcnow() - timedelta(days=60)
    made = []
    for n, (code, text) in enumerate(pairs):
        c = Complaint(city_id=city.id, reference=f"{city.reference_prefix}-T{n:05d}",
                      channel=Channel.SMS, category_id=codes[code], description=text,
                      created_at=start + timedelta(hours=n))
        db.session.add(c)
        made.append(c)
    db.session.flush()
    if confirmed_by is not None:
        for c in made:
            acknowledge(c, confirmed_by)
    db.session.commit()
    return made


def acknowledge(complaint: Complaint, user) -> None:
    """Staff acknowledge the complaint, as the workflow records it."""
    db.session.add(ComplaintEvent(city_id=complaint.city_id, complaint_id=complaint.id,
                                  kind="state", actor_id=user.id, from_state=complaint.state,
                                  to_state=State.ACKNOWLEDGED))
    complaint.state = State.ACKNOWLEDGED
