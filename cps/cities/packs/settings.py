"""Validation of a pack's city.yaml: every key checked, with the key named in each error."""

import re
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from babel import Locale, UnknownLocaleError
from flask import current_app
from flask_babel import gettext as _

from cps.cities.packs.errors import PackError, missing_key, require

SETTINGS_FILE = "city.yaml"
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
PREFIX_RE = re.compile(r"^[A-Z]{1,5}$")
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
F = SETTINGS_FILE


def validate_settings(raw: dict, supported_locales) -> dict:
    """Check city.yaml's mapping and return it normalised (defaults filled in)."""
    s = dict(raw)
    s["slug"] = _text(s, "slug", SLUG_RE)
    s["reference_prefix"] = _text(s, "reference_prefix", PREFIX_RE)
    s["timezone"] = _timezone(s.get("timezone"))
    s["country_code"] = _country(s.get("country_code"))
    s["locales"] = _locales(s.get("locales"), supported_locales)
    require(s.get("default_locale") in s["locales"], F, "default_locale",
            _("must be one of the pack's locales"))
    s["names"] = _names(s, "names", s)
    s["domain"] = s.get("domain") or None
    s["sms_number"] = _sms_number(s.get("sms_number"), s["country_code"])
    s["working_days"] = _working_days(s.get("working_days", [1, 2, 3, 4, 5]))
    s["holidays"] = _holidays(s.get("holidays") or [], s)
    s["settings"] = _city_settings(s.get("settings") or {})
    s["formats"] = _formats(s.get("formats") or {})
    s["messages"] = _messages(s.get("messages") or {}, s["locales"])
    s["departments"] = _departments(s.get("departments"), s)
    s["categories"] = _categories(s.get("categories"), s)
    s["routing"] = _routing(s.get("routing") or {}, s)
    s["districts"] = _district_spec(s.get("districts") or {})
    s["landmarks"] = _file_name(s.get("landmarks"), "landmarks") if s.get("landmarks") else None
    return s


def _text(s: dict, key: str, pattern: re.Pattern) -> str:
    value = s.get(key)
    require(value not in (None, ""), F, key, missing_key())
    require(isinstance(value, str) and bool(pattern.match(value)), F, key,
            _("%(value)s is not allowed here", value=repr(value)))
    return value


def _timezone(value) -> str:
    require(bool(value), F, "timezone", missing_key())
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise PackError(F, "timezone", _("unknown timezone %(tz)s", tz=value)) from None
    return str(value)


def _country(value) -> str:
    code = str(value or "").upper()
    require(bool(code), F, "country_code", missing_key())
    require(phonenumbers.country_code_for_region(code) != 0, F, "country_code",
            _("unknown country code %(code)s", code=value))
    return code


def _sms_number(value, country: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        number = phonenumbers.parse(str(value), country)
    except phonenumbers.NumberParseException:
        number = None
    require(number is not None and phonenumbers.is_valid_number(number), F, "sms_number",
            _("%(value)s is not a valid phone number", value=repr(value)))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _locales(value, supported) -> list[str]:
    require(isinstance(value, list) and bool(value), F, "locales",
            _("must be a non-empty list of locale codes"))
    for code in value:
        require(is_known_locale(code, supported), F, "locales",
                _("unknown locale %(code)s", code=code))
    return [str(code) for code in value]


def is_known_locale(code, supported) -> bool:
    """True for a locale this install ships, or one Babel knows."""
    if not isinstance(code, str) or not code:
        return False
    if code in supported:
        return True
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _names(item: dict, where: str, s: dict, key: str = "names", required: bool = True) -> dict:
    names = item.get(key) if key in item else None
    if names is None and not required:
        return {}
    require(isinstance(names, dict) and bool(names), F, where,
            _("must map locale codes to texts"))
    for code, text in names.items():
        require(code in s["locales"], F, f"{where}.{code}",
                _("unknown locale %(code)s", code=code))
        require(isinstance(text, str) and bool(text.strip()), F, f"{where}.{code}", missing_key())
    if required:
        require(bool(names.get(s["default_locale"])), F, f"{where}.{s['default_locale']}",
                missing_key())
    return {str(k): v.strip() for k, v in names.items()}


def _working_days(value) -> list[int]:
    ok = isinstance(value, list) and bool(value) and all(
        isinstance(d, int) and 1 <= d <= 7 for d in value)
    require(ok, F, "working_days", _("must list ISO weekdays from 1 (Monday) to 7 (Sunday)"))
    return sorted(set(value))


def _holidays(value, s: dict) -> list[dict]:
    require(isinstance(value, list), F, "holidays", _("must be a list"))
    out, seen = [], set()
    for i, item in enumerate(value):
        where = f"holidays[{i}]"
        require(isinstance(item, dict), F, where, _("must be a mapping"))
        day = item.get("date")
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day)
            except ValueError:
                day = None
        require(isinstance(day, date), F, f"{where}.date", _("must be a date like 2026-12-25"))
        require(day not in seen, F, f"{where}.date", _("appears twice"))
        seen.add(day)
        out.append({"date": day, "names": _names(item, f"{where}.names", s, required=False)})
    return out


def _city_settings(value) -> dict:
    require(isinstance(value, dict), F, "settings", _("must be a mapping"))
    allowed = current_app.config["CITY_SETTING_KEYS"]
    for key, setting in value.items():
        require(key in allowed, F, f"settings.{key}", _("is not a per-city setting"))
        require(isinstance(setting, int) and not isinstance(setting, bool) and setting >= 0,
                F, f"settings.{key}", _("must be a whole number"))
    return dict(value)


def _formats(value) -> dict:
    from cps.cities.formats import FormatError, clean_formats

    try:
        return clean_formats(value)
    except FormatError as error:
        where = "formats" + (f".{error.details['field']}" if error.details.get("field") else "")
        raise PackError(F, where, error.message) from None


def _messages(value, locales) -> dict:
    from cps.notify.wording import clean_messages

    try:
        return clean_messages(value, locales)
    except ValueError as error:
        key, locale, problem = error.args
        raise PackError(F, ".".join(p for p in ("messages", key, locale) if p), problem) from None


def _unique_codes(items, section: str) -> None:
    seen = set()
    for i, item in enumerate(items):
        require(isinstance(item, dict), F, f"{section}[{i}]", _("must be a mapping"))
        code = item.get("code")
        require(isinstance(code, str) and bool(CODE_RE.match(code)), F, f"{section}[{i}].code",
                _("must be a short code of lower-case letters, digits, '-', '_' or '.'"))
        require(code not in seen, F, f"{section}[{i}].code",
                _("duplicate code %(code)s", code=code))
        seen.add(code)


def _departments(value, s: dict) -> list[dict]:
    require(isinstance(value, list) and bool(value), F, "departments",
            _("must be a non-empty list"))
    _unique_codes(value, "departments")
    out = []
    for i, dept in enumerate(value):
        where = f"departments[{i}]"
        email = dept.get("email") or None
        require(email is None or (isinstance(email, str) and "@" in email), F, f"{where}.email",
                _("is not an e-mail address"))
        out.append({"code": dept["code"], "names": _names(dept, f"{where}.names", s),
                    "email": email, "phone": str(dept["phone"]) if dept.get("phone") else None})
    return out


def _categories(value, s: dict) -> list[dict]:
    require(isinstance(value, list) and bool(value), F, "categories",
            _("must be a non-empty list"))
    _unique_codes(value, "categories")
    departments = {d["code"] for d in s["departments"]}
    return [_category(cat, f"categories[{i}]", s, departments) for i, cat in enumerate(value)]


def _category(cat: dict, where: str, s: dict, departments: set[str]) -> dict:
    dept = cat.get("department")
    require(dept is None or dept in departments, F, f"{where}.department",
            _("unknown department %(code)s", code=dept))
    days = cat.get("deadline_days", 5)
    require(isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 365, F,
            f"{where}.deadline_days", _("must be a whole number of working days from 1 to 365"))
    return {
        "code": cat["code"], "department": dept, "deadline_days": days,
        "names": _names(cat, f"{where}.names", s),
        "descriptions": _names(cat, f"{where}.descriptions", s, "descriptions", required=False),
        "keywords": _keywords(cat.get("keywords") or {}, f"{where}.keywords", s),
        "group": cat.get("group"), "icon": cat.get("icon"),
        "questions": _questions(cat.get("questions") or [], f"{where}.questions", s),
    }


def _keywords(value, where: str, s: dict) -> dict:
    require(isinstance(value, dict), F, where, _("must map locale codes to lists of words"))
    for code, words in value.items():
        require(code in s["locales"], F, f"{where}.{code}",
                _("unknown locale %(code)s", code=code))
        require(isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words),
                F, f"{where}.{code}", _("must be a list of words"))
    return {code: [w.strip() for w in words] for code, words in value.items()}


def _questions(value, where: str, s: dict) -> list[dict]:
    require(isinstance(value, list), F, where, _("must be a list"))
    _unique_codes(value, where)
    out = []
    for i, q in enumerate(value):
        here = f"{where}[{i}]"
        require(q.get("datatype") in DATATYPES, F, f"{here}.datatype",
                _("must be one of %(types)s", types=", ".join(sorted(DATATYPES))))
        values = q.get("values") or []
        is_list = q["datatype"].endswith("valuelist")
        require(bool(values) == is_list, F, f"{here}.values",
                _("list questions need values, other questions none"))
        out.append({"code": q["code"], "datatype": q["datatype"],
                    "required": bool(q.get("required", False)),
                    "names": _names(q, f"{here}.names", s),
                    "values": [_value(v, f"{here}.values[{j}]", s) for j, v in enumerate(values)]})
    return out


def _value(v, where: str, s: dict) -> dict:
    require(isinstance(v, dict) and isinstance(v.get("key"), str) and bool(v.get("key")), F,
            f"{where}.key", missing_key())
    return {"key": v["key"], "names": _names(v, f"{where}.names", s)}


def _routing(value, s: dict) -> dict:
    require(isinstance(value, dict), F, "routing", _("must be a mapping"))
    departments = {d["code"] for d in s["departments"]}
    categories = {c["code"] for c in s["categories"]}
    default = value.get("default_department")
    require(default is None or default in departments, F, "routing.default_department",
            _("unknown department %(code)s", code=default))
    rules = value.get("rules") or []
    require(isinstance(rules, list), F, "routing.rules", _("must be a list"))
    for i, rule in enumerate(rules):
        where = f"routing.rules[{i}]"
        require(isinstance(rule, dict), F, where, _("must be a mapping"))
        require(rule.get("department") in departments, F, f"{where}.department",
                _("unknown department %(code)s", code=rule.get("department")))
        require(rule.get("category") is None or rule["category"] in categories, F,
                f"{where}.category", _("unknown category %(code)s", code=rule.get("category")))
        if rule.get("district") is not None:
            rule["district"] = str(rule["district"])
        require(rule.get("category") is not None or rule.get("district") is not None, F, where,
                _("needs a category, a district or both"))
    return {"default_department": default, "rules": rules}


def _district_spec(value) -> dict:
    require(isinstance(value, dict), F, "districts", _("must be a mapping"))
    spec = {"file": "districts.geojson", "code_property": "code", "name_property": "name",
            "aliases": {}, "names": {}, **value}
    for key in ("aliases", "names"):
        require(isinstance(spec[key], dict), F, f"districts.{key}",
                _("must map district codes to values"))
        spec[key] = {str(k): v for k, v in spec[key].items()}
    spec["file"] = _file_name(spec["file"], "districts.file")
    return spec


def _file_name(value, key: str) -> str:
    file = str(value)
    require("/" not in file and "\\" not in file and not file.startswith("."), F, key,
            _("must be a file name inside the pack folder"))
    return file
