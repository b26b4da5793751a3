"""SMS command words per locale, with aliases; English words work in every city.

Words are matched folded (without accents or case), so DỪNG, Dung and dung are the same word.
"""

import re

from rapidfuzz.distance import OSA

from cps.routing.spelling import fold

ALIASES = {
    "STATUS": {"en": ["STATUS", "TRACK"], "fil": ["KALAGAYAN", "ESTADO"], "ilo": ["KASASAAD"],
               "vi": ["TRACUU", "KIEMTRA"], "ne": ["स्थिति", "STHITI"], "ko": ["상태", "조회"],
               "id": ["CEK", "LACAK"], "es": ["ESTADO", "CONSULTA"], "fr": ["SUIVI", "ETAT"],
               "sw": ["HALI"], "ar": ["حالة", "الحالة"]},
    "REOPEN": {"en": ["REOPEN"], "fil": ["BUKSAN", "IBALIK"], "ilo": ["LUKATAN"],
               "vi": ["MOLAI"], "ne": ["पुनःखोल्नुहोस्", "KHOLNUHOS"], "ko": ["재개"],
               "id": ["BUKA"], "es": ["REABRIR"], "fr": ["ROUVRIR"], "sw": ["FUNGUA"],
               "ar": ["فتح"]},
    "RATE": {"en": ["RATE", "RATING"], "fil": ["MARKA", "GRADO"], "ilo": ["IPATO"],
             "vi": ["DANHGIA"], "ne": ["मूल्याङ्कन", "ANKA"], "ko": ["평가"], "id": ["NILAI"],
             "es": ["CALIFICAR", "NOTA"], "fr": ["NOTER", "NOTE"], "sw": ["KADIRIA"],
             "ar": ["تقييم"]},
    "STOP": {"en": ["STOP", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"], "fil": ["TIGIL", "HINTO"],
             "ilo": ["SARDENG"], "vi": ["DUNG", "NGUNG"], "ne": ["रोक", "ROK"],
             "ko": ["중지", "수신거부"], "id": ["BERHENTI"], "es": ["PARAR", "BAJA"],
             "fr": ["ARRET"], "sw": ["SIMAMA", "ACHA"], "ar": ["توقف", "إيقاف"]},
    "START": {"en": ["START", "UNSTOP"], "fil": ["SIMULA", "UMPISA"], "ilo": ["RUGIAN"],
              "vi": ["BATDAU"], "ne": ["सुरु", "SURU"], "ko": ["시작"], "id": ["MULAI"],
              "es": ["ALTA", "INICIO"], "fr": ["REPRISE"], "sw": ["ANZA"], "ar": ["ابدأ", "بدء"]},
    "HELP": {"en": ["HELP", "INFO"], "fil": ["TULONG"], "ilo": ["TULONGAN"],
             "vi": ["TROGIUP", "HUONGDAN"], "ne": ["मद्दत", "MADDAT"], "ko": ["도움말"],
             "id": ["BANTUAN"], "es": ["AYUDA"], "fr": ["AIDE"], "sw": ["MSAADA"],
             "ar": ["مساعدة"]},
    "LANG": {"en": ["LANG", "LANGUAGE"], "fil": ["WIKA"], "ilo": ["PAGSASAO"],
             "vi": ["NGONNGU"], "ne": ["भाषा", "BHASA"], "ko": ["언어"], "id": ["BAHASA"],
             "es": ["IDIOMA"], "fr": ["LANGUE"], "sw": ["LUGHA"], "ar": ["لغة", "اللغة"]},
}
# These act only when they are the whole message: "Stop the flooding in Poro" is a complaint.
ALONE = {"STOP", "START", "HELP"}
# A mistyped command word is read from this length on, when a reference follows it.
NEAR_MISS_MIN = 4
WORD = re.compile(r"^\s*([^\s.,;:!?]+)[\s.,;:!?]*(.*)$", re.S)


def _table() -> dict[str, list[tuple[str, str]]]:
    """Each folded word: the (command, locale) pairs it means (a word may be shared, as ESTADO
    is by Filipino and Spanish)."""
    table: dict[str, list[tuple[str, str]]] = {}
    for command, by_locale in ALIASES.items():
        for locale, words in by_locale.items():
            for word in words:
                table.setdefault(fold(word).upper(), []).append((command, locale))
    return table


TABLE = _table()


def parse_command(text: str, locales=(), prefix: str = "") -> tuple[str, str, str] | None:
    """(command, locale of the word used, the rest of the message), or None if not a command.

    A word shared by several languages is taken in the first of `locales` (the city's) that
    has it. `prefix`: the city's reference prefix, to recognise a reference after a word."""
    match = WORD.match(text or "")
    if match is None:
        return None
    word, rest = fold(match.group(1)).upper(), match.group(2).strip()
    meanings = TABLE.get(word) or _near_miss(word, rest, prefix)
    if not meanings:
        return None
    command, locale = next((m for m in meanings if m[1] in locales), meanings[0])
    if command in ALONE and rest:
        return None
    if locale != "en" and rest and not _argument(command, rest.split(), prefix):
        return None  # "Hali ya barabara ni mbaya" (Swahili: the state of the road) is a report
    return command, locale, rest


def _near_miss(word: str, rest: str, prefix: str) -> list[tuple[str, str]]:
    """A command word mistyped by one letter or two swapped ("STATSU", "STAUS", "RAET"),
    taken only when a reference follows it: "STATSU SF-67WDP1Y" is STATUS, "Stat" alone is
    not a command. Never for STOP, START and HELP, which act alone."""
    if len(word) < NEAR_MISS_MIN or not rest or not _reference_first(rest.split(), prefix):
        return []
    close = [(known, meanings) for known, meanings in TABLE.items()
             if len(known) >= NEAR_MISS_MIN and OSA.distance(word, known, score_cutoff=1) <= 1
             and not {command for command, _locale in meanings} & ALONE]
    return close[0][1] if len(close) == 1 else []


def _reference_first(words: list[str], prefix: str) -> bool:
    """Whether the words start with one of the city's references ("SF-67WDP1Y", "sf 67wdp1y")."""
    first = words[0].upper()
    reference = first if len(words) == 1 or len(first) > len(prefix) + 1 else first + words[1]
    return bool(prefix) and first.startswith(prefix.upper()) and \
        len(reference.replace("-", "")) >= len(prefix) + 4


def _argument(command: str, words: list[str], prefix: str) -> bool:
    """Whether what follows a command word in another language than English looks like the
    command's argument: a language code for LANG, else a reference (the city's prefix, or any
    word with a digit) or a number first."""
    if command == "LANG":
        return len(words) == 1
    first = words[0].upper()
    if prefix and first.startswith(prefix.upper()) and (len(first) > len(prefix) + 3
                                                         or len(words) > 1):
        return True
    return any(ch.isdigit() for word in words[:2] for ch in word)
