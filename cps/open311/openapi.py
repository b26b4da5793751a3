"""The OpenAPI 3.1 description of /open311/v2/, built from the same JSON Schema the tests
check every answer against, so the two cannot drift apart."""

import json
from functools import cache
from pathlib import Path

SCHEMA_FILE = Path(__file__).parent / "schemas" / "open311.schema.json"


@cache
def json_schemas() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _components() -> dict:
    text = json.dumps(json_schemas()["$defs"]).replace('"#/$defs/', '"#/components/schemas/')
    return json.loads(text)


def _param(name, where="query", required=False, description="", schema=None) -> dict:
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema or {"type": "string"}}


FMT = _param("format", "path", True, "xml or json", {"enum": ["xml", "json"]})
JURISDICTION = _param("jurisdiction_id", description=(
    "The city (its slug or domain). Optional when the server serves one city."))
LOCALE = _param("locale", description="Language of names and texts, e.g. fil.")
KEY_HEADER = _param("X-Api-Key", "header", description="The API key (or api_key in the body).")


def _answers(schema: str, status: str = "200") -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    errors = {"$ref": "#/components/schemas/errors"}
    out = {status: {"description": "OK", "content": {
        "application/json": {"schema": ref}, "application/xml": {"schema": {"type": "string"}}}}}
    for code, text in (("400", "Bad request"), ("403", "Missing or wrong api_key"),
                       ("404", "Not found"), ("429", "Too many requests")):
        out[code] = {"description": text, "content": {"application/json": {"schema": errors}}}
    return out


REQUEST_FILTERS = [
    _param("service_request_id", description="Comma-separated ids; overrides other filters."),
    _param("service_code", description="Comma-separated service codes."),
    _param("start_date", description="W3C datetime; the range is at most 90 days."),
    _param("end_date", description="W3C datetime."),
    _param("status", description="open, closed, or open,closed."),
    _param("updated_after", description="W3C datetime (extension)."),
    _param("updated_before", description="W3C datetime (extension)."),
    _param("page", schema={"type": "integer", "minimum": 1}),
    _param("page_size", schema={"type": "integer", "minimum": 1, "maximum": 1000}),
    _param("extensions", description="true adds notes and extended_attributes."),
    _param("bbox", description="min_long,min_lat,max_long,max_lat"),
    _param("lat", schema={"type": "number"}), _param("long", schema={"type": "number"}),
    _param("radius", description="Metres around lat/long (default 1000).",
           schema={"type": "integer", "minimum": 1, "maximum": 50000}),
]
NEW_REQUEST = {
    "type": "object", "required": ["service_code"],
    "properties": {name: {"type": "string"} for name in (
        "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string",
        "address_id", "email", "device_id", "account_id", "first_name", "last_name", "phone",
        "description", "media_url", "locale")},
    "additionalProperties": {"type": "string",
                             "description": "attribute[CODE] and attribute[CODE][] answers"},
}
NEW_UPDATE = {
    "type": "object", "required": ["service_request_id", "description"],
    "properties": {name: {"type": "string"} for name in (
        "api_key", "jurisdiction_id", "service_request_id", "update_id", "updated_datetime",
        "status", "description", "media_url", "email", "first_name", "last_name",
        "account_id")},
}


def _form(schema: dict, files: bool = False) -> dict:
    content = {"application/x-www-form-urlencoded": {"schema": schema}}
    if files:
        multipart = json.loads(json.dumps(schema))
        multipart["properties"]["media"] = {"type": "string", "format": "binary"}
        content["multipart/form-data"] = {"schema": multipart}
    return {"required": True, "content": content}


def document(base_url: str) -> dict:
    """The OpenAPI document, with `base_url` (…/open311/v2) as its server."""
    read = [JURISDICTION, LOCALE]
    return {
        "openapi": "3.1.0",
        "info": {"title": "CPS Open311 GeoReport v2", "version": "2",
                 "description": "GeoReport v2 (http://wiki.open311.org/GeoReport_v2) with "
                                "paging, updated_after/before, notes, bbox and radius filters, "
                                "media upload and mySociety's servicerequestupdates."},
        "servers": [{"url": base_url}],
        "paths": {
            "/discovery.{format}": {"get": {"operationId": "discovery", "parameters": [FMT],
                                            "responses": _answers("discovery")}},
            "/services.{format}": {"get": {"operationId": "services",
                                           "parameters": [FMT, *read],
                                           "responses": _answers("services")}},
            "/services/{service_code}.{format}": {"get": {
                "operationId": "service_definition",
                "parameters": [_param("service_code", "path", True), FMT, *read],
                "responses": _answers("service_definition")}},
            "/requests.{format}": {
                "get": {"operationId": "requests", "parameters": [FMT, *read, *REQUEST_FILTERS],
                        "responses": _answers("service_requests")},
                "post": {"operationId": "create_request", "parameters": [FMT, KEY_HEADER],
                         "requestBody": _form(NEW_REQUEST, files=True),
                         "responses": _answers("request_created", "201")}},
            "/requests/{service_request_id}.{format}": {"get": {
                "operationId": "one_request",
                "parameters": [_param("service_request_id", "path", True), FMT, *read,
                               _param("extensions")],
                "responses": _answers("service_requests")}},
            "/tokens/{token}.{format}": {"get": {
                "operationId": "token", "parameters": [_param("token", "path", True), FMT,
                                                       JURISDICTION],
                "responses": _answers("tokens")}},
            "/servicerequestupdates.{format}": {
                "get": {"operationId": "request_updates",
                        "parameters": [FMT, JURISDICTION, _param("start_date"),
                                       _param("end_date")],
                        "responses": _answers("service_request_updates")},
                "post": {"operationId": "post_request_update", "parameters": [FMT, KEY_HEADER],
                         "requestBody": _form(NEW_UPDATE),
                         "responses": _answers("update_created", "201")}},
            "/openapi.json": {"get": {"operationId": "openapi", "responses": {
                "200": {"description": "This document",
                        "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        },
        "components": {"schemas": _components()},
    }
