"""Open311 documents as XML or JSON, from the same Python values.

XML is declared UTF-8 and always well-formed: characters XML 1.0 forbids (control characters,
lone surrogates, U+FFFE/U+FFFF) are dropped from text. JSON never holds NaN or Infinity."""

import json
import math
import re
from xml.etree import ElementTree as ET

from flask import Response

CONTENT_TYPES = {"xml": "application/xml; charset=utf-8",
                 "json": "application/json; charset=utf-8"}
# The element a list's items get in XML, by the list's own element name.
ITEM_NAMES = {"services": "service", "service_requests": "request", "attributes": "attribute",
              "values": "value", "notes": "note", "endpoints": "endpoint", "formats": "format",
              "errors": "error", "service_request_updates": "request_update",
              "media_urls": "media_url"}
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    """`value` as text XML 1.0 can hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        name = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, name), child)
    elif value is not None:
        element.text = xml_text(value)


def to_xml(root: str, value) -> bytes:
    """`value` (a list or a mapping) under an element called `root`."""
    element = ET.Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8",
                                                                     xml_declaration=False)


def _finite(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def to_json(value) -> bytes:
    return json.dumps(_finite(value), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")


def respond(fmt: str, root: str, value, status: int = 200) -> Response:
    """A response in `fmt` ("xml" or "json"); in JSON a document is its bare list or mapping."""
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    return Response(body, status=status, content_type=CONTENT_TYPES[fmt])
