"""Words of citizens' messages that never name a place: each language's function words and
texting spellings, and the words of a city's problems (category keywords and names).

Lists are folded on use (see `cps.routing.spelling.fold`), so they are written as people write
them. A word here can still be part of a longer place name ("San" in "San Isidro"); it only never
counts as evidence of a place on its own.
"""

from functools import cache, lru_cache

from cps.routing.spelling import fold

# Function words, pronouns, particles, fillers and common texting spellings per language.
FUNCTION_WORDS = {
    "en": """a an the this that these those here there where near nearby in at on of to from by
        for with and or but not no yes is are was were be been am it its my our your their his
        her we you they i me us them please pls plz po hi hello good morning evening sir maam
        mam since already still again very too so now today yesterday tonight day days week
        weeks month months long time any some many much more one two three four five six seven
        eight nine ten first front behind beside next corner side along across road street
        st ave avenue area place part new old big small north south east west upper lower""",
    "fil": """sa ng nang ang ang mga si ni kay kina ay at na pa po opo ho oho ba daw raw din rin
        lang lamang naman nga eh e ha kasi dahil pero kung kapag pag para tapos saka
        ako ko akin amin namin atin natin kami tayo ikaw ka mo iyo ninyo kayo siya niya kanya
        sila nila kanila ito iyan iyon yan yun yung dito diyan doon dyan dun jan san saan
        asan nasaan nandito andito andyan may mayroon meron wala hindi di huwag wag oo hindi
        malapit tabi tapat harap likod kanto gilid loob labas taas baba
        araw linggo buwan gabi umaga hapon ngayon kahapon kanina mula simula pa rin tagal
        matagal na naman ulit sana salamat paki pakiusap tulong tulungan sobra grabe
        bago luma malaki maliit isa dalawa tatlo apat lima anim pito walo siyam sampu
        de del dela la las los y""",
    "ilo": """ti iti nga ken a ni kada dagiti dagita daytoy dayta daydiay ditoy dita idiay diay
        sadiay adda awan saan haan wen ngem ta ket no tapno gapu met pay latta laeng
        siak ak sika ka isuna isu dakami kami datayo tayo dakayo kayo isuda da ko mo na
        mi yo tayo dan asideg abay sango likud suli igid uneg ruar ngato baba
        aldaw lawas bulan rabii bigat malem ita idi idi kalman manipud agingga unay
        dakkel bassit maysa dua tallo uppat lima innem pito walo siam sangapulo
        agyaman dios ti agngina pangngaasi tulong""",
    "ne": """र को का की मा ले लाई बाट देखि सम्म नजिक छेउ अगाडि पछाडि भित्र बाहिर माथि तल यो त्यो
        यहाँ त्यहाँ कहाँ छ छन् थियो भयो हो होइन छैन पनि नै त अनि तर कि वा म हामी तपाईं उ
        उनी उनीहरू मेरो हाम्रो तपाईंको धेरै थोरै दिन हप्ता महिना आज हिजो राति बिहान बेलुका
        कृपया धन्यवाद नमस्ते सडक बाटो ठाउँ क्षेत्र
        ma ko ka ki le lai bata dekhi samma najik chheu agadi pachhadi bhitra bahira mathi tala
        yo tyo yaha yahan tyaha tyahan kaha kahan cha chha chan chhan thiyo bhayo ho hoina chaina
        chhaina pani nai ani tara ki wa hami tapai u uni mero hamro dherai thorai din hapta
        mahina aaja aja hijo rati bihana beluka kripaya dhanyabad namaste sadak bato thau""",
    "vi": """ở gần tại trong ngoài trên dưới trước sau bên cạnh của và là có không đã đang sẽ bị
        được rất nhiều này kia đó đây đấy nào chỗ nơi khu vực đường phố nhà tôi chúng ta mình
        bạn anh chị em ông bà họ ạ ơi nhé với cho từ đến mà thì nhưng hay hoặc cũng vẫn còn
        lâu ngày tuần tháng hôm nay qua tối sáng xin cảm ơn giúp""",
    "id": """di ke dari yang dan atau ada tidak bukan sudah belum ini itu sini situ sana dekat
        depan belakang samping jalan rumah saya kami kita anda dia mereka mohon tolong sejak
        hari minggu bulan banyak sekali""",
    "es": """el la los las un una unos unas de del al en y o que hay cerca calle frente desde
        por para con sin es está están mi su muy mucho hoy ayer aquí allí ahí donde favor""",
    "fr": """le la les un une des de du au aux en et ou que il y a est sont près rue devant
        depuis par pour avec sans mon ma mes très beaucoup ici là où aujourd hui hier""",
    "sw": """na ya wa za la kwa katika karibu hapa pale kule kuna hakuna ni si mimi sisi wewe
        yeye wao tafadhali sana mtaa barabara tangu leo jana siku wiki mwezi""",
}
FUNCTION_WORDS["ar"] = "في من إلى على عند قرب بجانب أمام خلف هنا هناك هذا هذه ذلك و أو لا نعم شارع"


@cache
def function_words(locales: tuple[str, ...]) -> frozenset[str]:
    """The folded function words of English and of `locales`."""
    words = set()
    for locale in ("en", *locales):
        words.update(fold(w) for w in FUNCTION_WORDS.get(locale, "").split())
    return frozenset(w for w in words if w)


def problem_words(categories) -> frozenset[str]:
    """The folded words a city's categories are known by: keywords and names, every language."""
    words = set()
    for category in categories:
        for keys in (category.keywords or {}).values():
            words.update(w for k in keys for w in fold(k).split())
        for name in (category.names or {}).values():
            words.update(fold(name).split())
    return frozenset(w for w in words if w)


# Everyday words -------------------------------------------------------------------------------
# Many places are named by everyday words: Bato (stone), Silangan (east), Parang (as if),
# Kalayaan (freedom), Bagar (a river bank). Such a name alone in a message is more often the
# word than the place. wordfreq's lists tell them for the languages it has; Ilocano and Nepali
# have none there, so their everyday words of places and nature are listed here.
EVERYDAY_ZIPF = 4.0
# Korean would need MeCab, which the lists do not ship.
WORDFREQ_LANGUAGES = {"en", "fil", "id", "es", "fr", "vi", "ar"}
EVERYDAY_WORDS = {
    "ilo": """bato danum karayan baybay bantay bakir kayo balay pias mangga niog kawayan
        tulay rangtay uma talon dalan kalsada waig burburan pagay mais kadaklan adu dadduma
        sumagmamano tunggal amin nadumaduma""",
    "ne": """khola bagar tal taal pul chowk chok bazar bajar danda ghat tole gaun pani dhunga
        kulo ban pokhari mandir chautara
        खोला बगर ताल पुल चोक बजार डाँडा घाट टोल गाउँ पानी ढुङ्गा कुलो बन पोखरी मन्दिर चौतारा""",
}


@cache
def everyday(locales: tuple[str, ...]):
    """`is_everyday(word)` for English and `locales`: whether the folded word is in everyday use
    (wordfreq's Zipf frequency at least EVERYDAY_ZIPF, or listed above)."""
    listed = frozenset(fold(w) for locale in locales
                       for w in EVERYDAY_WORDS.get(locale, "").split())
    languages = tuple(sorted(WORDFREQ_LANGUAGES & {"en", *locales}))

    @lru_cache(maxsize=50_000)
    def is_everyday(word: str) -> bool:
        if word in listed:
            return True
        from wordfreq import zipf_frequency

        return any(zipf_frequency(word, lang, wordlist="small") >= EVERYDAY_ZIPF
                   for lang in languages)

    return is_everyday


# Word forms ----------------------------------------------------------------------------------
# A citizen writes a problem word as the sentence needs it: "binabaha" (is flooding) for "baha",
# "फोहोरमा" (in the garbage) for "फोहोर", "potholes" for "pothole". The rules below take the usual
# affixes off, conservatively: a stem keeps at least MIN_STEM letters, and a form only ever
# counts when it equals a keyword or a keyword's own form.
MIN_STEM = 3
# Longer "words" (a pasted link, a key held down) have no forms worth the time.
MAX_WORD = 30
VOWELS = frozenset("aeiou")
# Prefixes (all are tried); "um"/"in" are prefixes too, before a vowel ("umapaw", "inayos").
PREFIXES = {
    "fil": ("nakaka", "pinaka", "nagpa", "magpa", "ipina", "naka", "maka", "ipag", "mag", "nag",
            "pag", "ka", "ma", "na", "i"),
    "ilo": ("maka", "naka", "mang", "nang", "nai", "mai", "nag", "pag", "ag", "ka", "ma", "na",
            "i"),
}
SUFFIXES = {"fil": ("han", "hin", "an", "in"), "ilo": ("en", "an")}
INFIXES = ("um", "in")
# Nepali postpositions (and the plural) written on the noun, in Devanagari and romanised.
POSTPOSITIONS = ("हरूमा", "हरुमा", "हरूको", "हरुको", "हरू", "हरु", "भन्दा", "देखि", "सम्म", "लाई",
                 "बाट", "तिर", "मा", "को", "का", "की", "ले", "मै",
                 "haruma", "haruko", "haru", "bhanda", "dekhi", "samma", "lai", "bata", "tira",
                 "ma", "ko", "ka", "ki", "le", "mai")


def word_forms(word: str, locale: str | None) -> set[str]:
    """Folded candidate stems of the folded `word` in `locale` (every language's rules when
    None), not the word itself: affixes, infixes, reduplication and glued postpositions off."""
    if len(word) > MAX_WORD:
        return set()
    rules = _RULES.get(locale, ()) if locale else tuple({r for rs in _RULES.values() for r in rs})
    forms, todo = set(), {word}
    while todo:  # every rule shortens a word or turns a "u" into an "o": this ends
        todo = {stem for w in todo for rule in rules for stem in rule(w)
                if len(stem) >= MIN_STEM and stem != word} - forms
        forms |= todo
    return forms


def _philippine(locale: str):
    def strip(word: str) -> list[str]:
        out = [word[len(p):] for p in PREFIXES[locale] if word.startswith(p)]
        out += [word[2:] for p in INFIXES if word.startswith(p) and word[2:3] in VOWELS]
        stems = [word[:-len(s)] for s in SUFFIXES[locale] if word.endswith(s)]
        out += stems + [_final_o(stem) for stem in stems]
        return out + _infix(word) + _reduplication(word) + _linker(word)

    return strip


def _infix(word: str) -> list[str]:
    """b-in-abaha, b-um-abaha: -in- and -um- after the first consonant."""
    if word[:1] and word[0] not in VOWELS and word[1:3] in INFIXES:
        return [word[0] + word[3:]]
    return []


def _reduplication(word: str) -> list[str]:
    """babaha -> baha, aapaw -> apaw, laylayus -> layus: the first syllable said twice."""
    out = []
    if len(word) > 1 and word[0] in VOWELS and word[0] == word[1]:
        out.append(word[1:])
    for size in (2, 3):
        head = word[:size]
        if word[size:2 * size] == head and head[0] not in VOWELS and head[1] in VOWELS:
            out.append(word[size:])
    return out


def _linker(word: str) -> list[str]:
    """sirang (ilaw) -> sira: the linker -ng after a vowel, -g after an n (ulan -> ulang)."""
    if not word.endswith("ng"):
        return []
    return [word[:-1]] + ([word[:-2]] if word[-3:-2] in VOWELS else [])


def _final_o(stem: str) -> str:
    """tapun(an) -> tapon: a root's last o is written u once a suffix follows it."""
    if len(stem) > 2 and stem[-2] == "u" and stem[-1] not in VOWELS:
        return stem[:-2] + "o" + stem[-1]
    return stem


def _nepali(word: str) -> list[str]:
    return [word[:-len(p)] for p in POSTPOSITIONS if word.endswith(p)]


def _english(word: str) -> list[str]:
    out = []
    if word.endswith("ies") or word.endswith("ied"):
        out.append(word[:-3] + "y")
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    for ending in ("ing", "ed"):
        if word.endswith(ending):
            stem = word[:-len(ending)]
            out += [stem, stem + "e"]
            if len(stem) > 1 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
                out.append(stem[:-1])  # clogged -> clog
    return out


_RULES = {"fil": (_philippine("fil"),), "ilo": (_philippine("ilo"),), "ne": (_nepali,),
          "en": (_english,)}
