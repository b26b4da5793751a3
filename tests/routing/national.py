"""Synthetic national layers of Philippine barangays, named as a real national layer names them."""

import math
import random
from functools import cache
from types import SimpleNamespace

import shapely
import yaml

from cps import PROJECT_ROOT
from cps.routing.gazetteer import Gazetteer, Place
from cps.routing.spelling import variants
from cps.routing.words import everyday, function_words, problem_words

LOCALES = ("en", "fil", "ilo")
LON, LAT = (117.0, 126.0), (5.0, 19.0)
# The most frequent barangay names of the country, most frequent first (each appears hundreds
# of times nationally).
COMMON = """San Isidro|San Jose|Poblacion|San Roque|Santo Niño|San Vicente|San Antonio|
    Santa Cruz|San Juan|San Pedro|Bagong Silang|San Miguel|San Francisco|San Nicolas|Santa Rosa|
    Rizal|Mabini|Bagumbayan|Santa Maria|San Rafael|Del Pilar|Bonifacio|Burgos|Magsaysay|Malinao|
    Quezon|Luna|Santa Lucia|San Agustin|Santa Ana|Maligaya|Mabuhay|Bagong Sikat|Sto. Niño|
    San Pablo|San Andres|San Lorenzo|Santa Barbara|Santo Tomas|Santo Rosario|Santa Monica|
    Aguinaldo|Sampaguita|Masagana|Kalayaan|Pag-asa|Caridad|Concepcion|Consolacion|Tagumpay|
    San Isidro Labrador|Santa Teresita|Villa Verde|Bagong Pag-asa|Silangan|Bagong Silangan|
    Lourdes|Guadalupe|Cabuyao|Tabing Ilog|Tabing Dagat|Ilaya|Ibaba|Sabang|Wawa|Pulo|Bucal|
    Calumpang|Cupang|Tulay|Bato|Looc|Balite|Banaba|Talisay|Santol|Camachile|Mapayapa|Maunlad|
    Liberty|Victory|Fatima|Carmen|Del Carmen|Del Rosario|Dela Paz|Santo Cristo|Santa Clara"""
NATIVE = """Abut|Amihan|Biday|Bahay Toro|Apo Kalaw|Pay-og|Del Monte|Alapang|Alupay|Anilao|Bacao|
    Bagacay|Balagtas|Balintawak|Baesa|Bignay|Balangkas|Malinta|Marulas|Karuhatan|Malanday|
    Dalandanan|Lingunan|Punturin|Ugong|Tumana|Nangka|Parang|Tañong|Potrero|Longos|Tugatog|
    Catmon|Dampalit|Hulong Duhat|Niugan|Panghulo|Tinajeros|Tonsuya|Muzon|Bangkulasi|Tangos|
    Tanza|Daanghari|Sipac|Almacen|Bancal|Banlic|Barandal|Batangan|Bayanan|Bigaa|Binakayan|
    Bukal|Bulihan|Burol|Butong|Cabuco|Camachilihan|Daang Bakal|Dita|Dulong Bayan|Ibayo|
    Kalawaan|Kalunasan|Kamuning|Kapasigan|Labas|Lagundi|Lalaan|Lantic|Lumbia|Mabacan|Mabato|
    Macabling|Madaya|Magdalo|Mahabang Parang|Malabanan|Malagasang|Malitlit|Mamatid|
    Maninihan|Masili|Matungao|Maunong|Milagrosa|Munting Ilog|Nalsian|Niog|Pacita|Pagsawitan|
    Palapala|Palingon|Pamplona|Panapaan|Pansol|Pantay|Pooc|Putol|Quilo|Salitran|Sampaloc|
    Sinalhan|Sirang Lupa|Soro-soro|Sucol|Tagapo|Tanauan|Tatlong Maria|Tibag|Tipas|Tubigan|
    Tunasan|Ulango|Bacsil|Baraoas|Bangar|Baay|Balaoi|Bimmanga|Bungro|Cabaroan|Cadaclan|
    Dardarat|Lingsat|Madayegdeg|Nagtupacan|Paratong|Pagdalagan|Pias|Puspus|Sacyud|Sagayad|
    Nalasin|Nagrebcan|Bangbangolan|Nagsimbaanan|Namatting|Nagbukel|Raois|Sinapangan|Tangadan|
    Ubbog|Pidpid|Lagui-Sail|Dilan|Apas|Bacayan|Banilad|Basak|Busay|Carreta|Hipodromo|
    Kalubihan|Kamputhaw|Kasambagan|Lahug|Lorega|Mabolo|Pahina|Pasil|Punta Princesa|Sambag|Suba|
    Talamban|Tejero|Tinago|Tisa|Zapatera|Agdao|Bajada|Buhangin|Bunawan|Catalunan|Dumoy|
    Lanang|Ma-a|Matina|Mintal|Panacan|Sasa|Toril|Tibungco|Ulas|Bucana|Mandug|Cabantian|
    Indangan|Tigatto|Calinan|Malagos|Biao|Tugbok|Marilog|Baracatan|Dalag|Kalawag|Bulua|
    Lapasan|Macasandig|Nazareth|Bugo|Tablon|Gusa|Cugman|Balulang|Kauswagan|Iponan|Pagatpat|
    Canitoan|Camaman-an|Patag|Indahag|Tignapoloan|Dansolihon|Taglimao|Mambuaya|Pigsag-an|
    Balubal|Tuburan|Baikingon|Dupay|Lupa|Bicutan|Balara|Cabalan|Mabayuan|Kalaklan|Pag-asa|
    Bantayan|Dumlog|Lipata|Magugpo|Apokon|Visayan Village|Canocotan|Mankilam|Liboganon|
    Madaum|Pandapan|Mangoso|Binaton|Aplaya|Matanao|Kiblawan|Sulop|Malalag|Lais|Bolton|
    Dagatan|Dagat-dagatan|Hagonoy|Malolos|Sumapang|Longos Bato|Caingin|Bulihan Bayan|
    Ligas|Bagbaguin|Paltok|Mahabang Kahoy|Kaybagal|Sungay|Iruhin|Maharlika|Dapdap|Lanao|
    Cayabu|Cogeo|Inarawan|Mayamot|Muntindilaw|Sta. Cruz Putol|Tagbak|Tapuac|Pantal|Mangin|
    Bonuan|Gueset|Lucao|Mayombo|Pogo Chico|Tapuac Grande|Calmay|Carael|Lomboy|Bolosan|
    Salapingao|Tebeng|Poblacion Oeste|Malued|Caranglaan|Herrero|Pantal Sur|Bued|Tambac|
    Banaoang|Cabalitian|Nalvo|Baloling|Palina|Tococ|Bacnar|Macalong|Doyong|Lunec|Biec|Pogo"""
SAINTS = {
    "San": """Isidro|Jose|Juan|Pedro|Pablo|Roque|Antonio|Vicente|Nicolas|Rafael|Miguel|
        Agustin|Francisco|Lorenzo|Andres|Sebastian|Mateo|Marcos|Lucas|Fernando|Carlos|Luis|
        Gabriel|Dionisio|Mariano|Bartolome|Felipe|Diego|Esteban|Pascual|Jeronimo|Gregorio|
        Teodoro|Lazaro|Manuel|Martin|Ramon|Simon|Joaquin|Guillermo|Benito|Alfonso|Patricio|
        Policarpo|Cristobal|Julian|Narciso|Pascual Baylon|Isidro Labrador|Jose Obrero|
        Juan Bautista|Antonio de Padua|Vicente Ferrer|Roque Gonzales|Lorenzo Ruiz""",
    "Santa": """Cruz|Rosa|Maria|Ana|Lucia|Monica|Barbara|Cecilia|Elena|Rita|Teresa|Isabel|
        Clara|Catalina|Veronica|Filomena|Fe|Ines|Lutgarda|Quiteria|Juliana|Teresita|Josefa|
        Maria Goretti|Cruz Norte""",
    "Santo": """Niño|Tomas|Domingo|Cristo|Rosario|Tomas de Villanueva|Niño Jesus""",
}
PEOPLE = """E. Rodriguez|Don Jose|Don Pedro|Don Mariano Marcos|Gen. Aguinaldo|Gen. Luna|
    Gen. Tinio|Gen. Emilio Aguinaldo|Pres. Roxas|Pres. Quirino|Jose Rizal|Dr. Jose P. Rizal|
    Andres Bonifacio|Apolinario Mabini|Padre Burgos|Manuel L. Quezon|Ramon Magsaysay|Osmeña|
    Sergio Osmeña|M. H. del Pilar|Gomez|Zamora|Jacinto|Emilio Jacinto|Aquino|Ninoy Aquino|
    Lapu-Lapu|Rajah Soliman|Lakandula|Sultan Kudarat|Datu Piang|Gabriela Silang|Tandang Sora|
    Laurel|Recto|Claro M. Recto|Roxas|Manuel Roxas|Quirino|Macapagal|Garcia|Carlos P. Garcia|
    F. Balagtas|Doña Imelda|Doña Josefa|Don Bosco|Kapitan Pepe|Dagohoy|Tirona|A. Mabini|
    J. P. Rizal|Del Pilar|De la Paz|Delos Reyes|Delos Santos|Dela Cruz|De Vera|Gen. T. de Leon"""
PLACES = """Fairview|Greenhills|Riverside|Hillside|Highway Hills|Sunnyside|Pleasant Hills|
    Bayview|Lakeview|Bel-Air|Forbes Park|Seaside|Greenmeadows|Valley View|Rolling Hills|
    Green Valley|Villa Angela|Kingsville|Capitol Site|Airport Village|Industrial Valley|
    Pleasant Village|Mapayapa|Maunlad|Matatag|Malaya|Kaunlaran|Pagkakaisa|Bayanihan|
    Katipunan|Magiting|Silangan|Kanluran|Hilaga|Timog|Maligaya|Masagana"""
# Names made new: Bagong Silangan, Bagong Pag-asa, Bago Bantay, New Society, New Era.
RENEWED = {"Bagong": """Silangan|Pag-asa|Barrio|Lipunan|Bayan|Buhay|Kalsada|Sikat|Silang|
               Barangay|Lungsod|Nayon|Tanglaw|Pagasa|Buhangin|Ilog|Lipunan ng Crame""",
           "Bago": "Bantay|Gallera|Aplaya|Oshiro|Ilog|Bayan",
           "New": "Society|Era|Manila|Cabalan|Lucena|Kalibo|Washington|Bataan"}
# Complaints as citizens text them, with a place (or any word) in {w}.
SENTENCES = [
    # English
    "{w} the streetlight is broken",
    "Please fix the pothole near {w}, it has been there for weeks",
    "Garbage not collected again, {w} area smells bad",
    # Filipino
    "Basura po {w}, hindi kinukuha 3 araw na",
    "May lubak sa {w} malapit sa tindahan",
    "Sira po ang ilaw {w} gabi na madilim",
    # Ilocano
    "adda abut {w} kalsada",
    "Awan silaw idiay {w} ita a rabii",
    "Nabangsit ti basura {w}, saan a naala",
]
# Complaints in Nepali, in Devanagari and in Latin letters, for a Nepali city.
NEPALI_SENTENCES = [
    "{w} मा फोहोर उठेको छैन, तीन दिन भयो",
    "बाटोमा ठूलो खाल्डो छ {w} नजिक",
    "{w} ma fohor thupro xa, kasaile uthaena",
    "sadak batti {w} bigreko chha",
]
# Common nouns of English, Filipino and Ilocano that a complaint may hold, and a few everyday
# words spelled like a place ("kadaklan", most, is one letter from Cadaclan).
NOUNS = """house school church market bridge river tree hill plaza hall chapel park beach
    highway terminal hospital store corner court creek field farm village town city mall gate
    wall tower station office garden subdivision compound building
    bahay paaralan simbahan palengke tulay ilog puno bundok bukid dagat lawa sapa eskinita
    tindahan bayan lungsod kapilya ospital munisipyo bakuran bakod bubong pader kalye looban
    sitio purok nayon gubat palayan pantalan daungan kapitbahay kapitbahayan paradahan
    balay eskuela simbaan tiendaan rangtay karayan kayo dalan baybay taltalon away ili
    kapilia munisipio waig uma bakud ruangan paraangan kabangibang pagbasaan
    kadaklan tengnga sanga kawad kuryente lugan motor tricycle jeep bangketa gripo kapitolyo
    daanan pasyalan""".split()
MUNICIPALITIES = """San Fernando|San Jose|Santa Maria|Bantay|Bauang|Agoo|Naguilian|Rosario|
    Bacnotan|Balaoan|Luna|Santo Tomas|Aringay|Caba|Tubao|Pugo|Burgos|Bagulin|San Gabriel|
    Sudipen|Bangar|San Juan|Santol|Dagupan|Calasiao|Lingayen|Mangaldan|Malasiqui|Urdaneta|
    Tarlac|Capas|Concepcion|Malolos|Hagonoy|Calumpit|Marilao|Meycauayan|Bocaue|Imus|Bacoor|
    Dasmariñas|Silang|Tanza|Naic|Calamba|Cabuyao|Biñan|Lipa|Tanauan|Batangas|Lucena|Tayabas|
    Naga|Legazpi|Iloilo|Bacolod|Cebu|Mandaue|Lapu-Lapu|Talisay|Tacloban|Ormoc|Dumaguete|
    Tagbilaran|Cagayan de Oro|Iligan|Butuan|Surigao|Davao|Tagum|Panabo|Digos|General Santos|
    Koronadal|Cotabato|Zamboanga|Dipolog|Pagadian|Puerto Princesa|Roxas|Kalibo|Catbalogan"""
# Roots of the long tail of names made the way many are made ("Ca-" + "bato" + "-an").
ROOTS = """bato buli kahoy kawayan lubi niog saging mangga tubig lupa dalan balay buhangin bulak
    lawa ilog sapa putik pili duhat santol kamias sampalok bakaw nipa anahaw talahib kugon bakal
    palay mais tabako kape asin isda hipon bayabas dayap ube gabi kamote dagat banga tambo
    langka bunga bakod tulay parang burol gubat puno tanglad dalig ubbog bantay ili karayan
    pagay danum dapo bassit kayo tarong bawang mani kabaw baboy manok""".split()
AFFIXES = [("Ca", "an"), ("Ka", "an"), ("Nag", "an"), ("Pinag", "an"), ("", "an"), ("Ma", ""),
           ("Sapang ", ""), ("Pulong ", ""), ("Dulong ", ""), ("Looban ", "")]
DIRECTIONS = [("Norte", "Sur"), ("Este", "Oeste"), ("North", "South"), ("East", "West"),
              ("Proper", "Centro")]
BEFORE = [("Upper", "Lower"), ("Ibabang", "Ilayang"), ("Munting", "Malaking"),
          ("North", "South"), ("East", "West"), ("Bagong", "Bago")]
ENGLISH = {"Norte": "North", "Sur": "South", "Este": "East", "Oeste": "West"}
NUMERALS = "I II III IV V VI VII VIII IX X".split()
SHORT = {"Santo": "Sto.", "Santa": "Sta.", "Sto.": "Santo", "Sta.": "Santa"}
SIZES = (8, 45)  # districts per municipality


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split("|") if n.strip()]


def national_layer(n: int, seed: int = 1) -> list[dict]:
    """`n` districts with realistic barangay names in municipalities, on a grid over the country."""
    rng = random.Random(seed)
    pool = _Pool(rng)
    named: list[tuple[str, str]] = []
    while len(named) < n:
        municipality = rng.choice(_names(MUNICIPALITIES))
        named += [(name, municipality) for name in pool.municipality(rng.randint(*SIZES))]
    x, y, side = _grid(n)
    squares = shapely.box(x, y, [a + side for a in x], [b + side for b in y])
    return [{"code": f"{i + 1:09d}", "name": name, "aliases": aliases_of(name),
             "municipality": municipality, "lon": x[i] + side / 2,
             "lat": y[i] + side / 2, "polygon": squares[i]}
            for i, (name, municipality) in enumerate(named[:n])]


def _grid(n: int) -> tuple[list[float], list[float], float]:
    """Lower-left corners of `n` squares over the country, and their side."""
    width, height = LON[1] - LON[0], LAT[1] - LAT[0]
    cols = max(1, math.ceil(math.sqrt(n * width / height)))
    step = min(width / cols, height / math.ceil(n / cols))
    # Squares do not touch: a point lies in one district or in none.
    return ([LON[0] + (i % cols) * step for i in range(n)],
            [LAT[0] + (i // cols) * step for i in range(n)], step * 0.9)


class _Pool:
    """Draws the barangay names of one municipality: frequent names, sequences and pairs."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.common = _names(COMMON)
        self.weights = [1 / (rank + 1) ** 0.5 for rank in range(len(self.common))]
        self.native = _names(NATIVE)
        self.people = _names(PEOPLE)
        self.places = _names(PLACES)
        self.renewed = {word: _names(stems) for word, stems in RENEWED.items()}
        self.saints = {title: _names(names) for title, names in SAINTS.items()}
        self.stems = self.native + self.places

    def municipality(self, size: int) -> list[str]:
        """`size` distinct names, as one municipality has them."""
        names: dict[str, None] = dict.fromkeys(self._sequence())
        while len(names) < size:
            names.update(dict.fromkeys(self._draw()))
        return list(names)[:size]

    def _sequence(self) -> list[str]:
        """Poblacion I-X, Poblacion 1-10 or Barangay 1..N, in about half the municipalities."""
        roll = self.rng.random()
        if roll < 0.2:
            return [f"Poblacion {r}" for r in NUMERALS[:self.rng.randint(2, 10)]]
        if roll < 0.35:
            return [f"Poblacion {k}" for k in range(1, self.rng.randint(3, 11))]
        if roll < 0.45:
            return [f"Barangay {k}" for k in range(1, self.rng.randint(5, 40))]
        return []

    def _draw(self) -> list[str]:
        """One name, or a few that come together (Norte and Sur, Fairview and North Fairview)."""
        roll = self.rng.random()
        if roll < 0.25:
            return self.rng.choices(self.common, self.weights)
        if roll < 0.42:
            return [self.rng.choice(self.native)]
        if roll < 0.55:
            return [self._derived()]
        if roll < 0.67:
            return self._paired(self.rng.choice(self.stems))
        if roll < 0.72:
            return self._new()
        if roll < 0.83:
            return [self._saint()]
        if roll < 0.92:
            return [self.rng.choice(self.people)]
        return [self.rng.choice(self.places)]

    def _derived(self) -> str:
        """A name of the long tail: Cabatoan, Nagkawayanan, Sapang Bato."""
        before, after = self.rng.choice(AFFIXES)
        root = self.rng.choice(ROOTS)
        if before.endswith(" "):
            return before + root.capitalize()
        return (before + root + after).capitalize()

    def _new(self) -> list[str]:
        """Bagong Silangan, New Society; with the plain name too in some municipalities."""
        word = self.rng.choices(list(self.renewed), (3, 1, 1))[0]
        stem = self.rng.choice(self.renewed[word])
        name = f"{word} {stem}"
        return [name, stem] if self.rng.random() < 0.3 else [name]

    def _paired(self, stem: str) -> list[str]:
        if self.rng.random() < 0.5:
            pair = self.rng.choice(DIRECTIONS)
            names = [f"{stem} {pair[0]}", f"{stem} {pair[1]}"]
        else:
            pair = self.rng.choice(BEFORE)
            names = [f"{pair[0]} {stem}", f"{pair[1]} {stem}"]
        kept = names[:self.rng.randint(1, 2)]
        return kept + [stem] if self.rng.random() < 0.4 else kept

    def _saint(self) -> str:
        title = self.rng.choice(list(self.saints))
        name = f"{title} {self.rng.choice(self.saints[title])}"
        return _shortened(name) if title != "San" and self.rng.random() < 0.3 else name


def _shortened(name: str) -> str:
    first, _sep, rest = name.partition(" ")
    return f"{SHORT.get(first, first)} {rest}"


def aliases_of(name: str) -> list[str]:
    """The other spellings a city pack gives a name: Sto./Santo, Norte/North, I/1."""
    words = name.split()
    aliases = []
    if words[0] in SHORT:
        aliases.append(_shortened(name))
    if words[-1] in ENGLISH:
        aliases.append(" ".join(words[:-1] + [ENGLISH[words[-1]]]))
    if words[0] == "Poblacion" and words[-1] in NUMERALS:
        aliases.append(f"Poblacion {NUMERALS.index(words[-1]) + 1}")
    if words[0] == "Barangay" and len(words) == 2:
        aliases.append(f"Brgy. {words[1]}")
    return aliases


def layer_places(layer: list[dict]) -> list[tuple[Place, set[str]]]:
    """The layer's districts as the place-name index takes them."""
    return [(Place("district", i + 1, d["name"], d["lon"], d["lat"]),
             variants(d["name"], d["aliases"], district=True)) for i, d in enumerate(layer)]


@cache
def demo_categories() -> tuple[SimpleNamespace, ...]:
    """The demo city's categories (names and keywords), read from its pack without a database."""
    pack = yaml.safe_load((PROJECT_ROOT / "cities" / "san-fernando-la-union" / "city.yaml")
                          .read_text(encoding="utf-8"))
    return tuple(SimpleNamespace(names=c.get("names"), keywords=c.get("keywords"))
                 for c in pack["categories"])


def ordinary_words() -> frozenset[str]:
    """Words that never name a place: English, Filipino and Ilocano function words and the
    demo city's problem words."""
    return function_words(LOCALES) | problem_words(demo_categories())


def gazetteer(places, ignore=frozenset()) -> Gazetteer:
    """A place-name index as a city of these languages builds it."""
    return Gazetteer(places, ignore, everyday(LOCALES))


def national_gazetteer(n: int, seed: int = 1) -> tuple[list[dict], Gazetteer]:
    """A national layer of `n` districts and its index."""
    layer = national_layer(n, seed)
    return layer, gazetteer(layer_places(layer), ordinary_words())


def complaint_sentences(layer: list[dict], count: int, seed: int = 1) -> list[str]:
    """`count` complaints naming a district of the layer, one word of a name, or no place."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        district = rng.choice(layer)
        spelling = rng.choice([district["name"], *district["aliases"]])
        word = rng.choice([spelling, rng.choice(spelling.split()), rng.choice(NOUNS)])
        out.append(rng.choice(SENTENCES).format(w=word))
    return out
