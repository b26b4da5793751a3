"""Open311 test helpers: an API key, calls in either format, and the schemas answers must
match (written from the GeoReport v2 spec, shipped in cps/open311/schemas/)."""

import json
from functools import cache

import jsonschema
from lxml import etree

from cps import PROJECT_ROOT
from cps.extensions import db
from cps.open311.models import ApiKey

SCHEMAS = PROJECT_ROOT / "cps" / "open311" / "schemas"
BASE = "/open311/v2"


def new_key(city, name="FixMyStreet", rate_limit=None) -> str:
    row, key = ApiKey.issue(city.id, name, rate_limit)
    db.session.add(row)
    db.session.commit()
    return key


@cache
def _json_schema() -> dict:
    return json.loads((SCHEMAS / "open311.schema.json").read_text())


@cache
def _xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "open311.xsd")))


def valid_json(response, definition: str):
    """The JSON body, checked against the schema's `definition`."""
    assert response.content_type == "application/json; charset=utf-8"
    body = json.loads(response.get_data(as_text=True))
    schema = {"$ref": f"#/$defs/{definition}", **{k: v for k, v in _json_schema().items()
                                                  if k != "title"}}
    jsonschema.validate(body, schema, format_checker=jsonschema.FormatChecker())
    return body


def valid_xml(response, root: str):
    """The XML body (an lxml element), well-formed, UTF-8 and valid against the XSD."""
    assert response.content_type == "application/xml; charset=utf-8"
    data = response.get_data()
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    document = etree.fromstring(data)
    assert document.tag == root
    _xsd().assertValid(document)
    return document


def errors_of(response, fmt: str) -> list[dict]:
    """The spec's error list, checked in either format."""
    if fmt == "json":
        return valid_json(response, "errors")
    document = valid_xml(response, "errors")
    return [{"code": e.findtext("code"), "description": e.findtext("description")}
            for e in document.findall("error")]


def as_dicts(document) -> list[dict]:
    """<service_requests><request>…</request></service_requests> as a list of flat dicts."""
    return [{child.tag: child.text for child in item} for item in document]
