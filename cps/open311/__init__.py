"""Open311 GeoReport v2 under /open311/v2/, with the extensions real clients use
(paging, updated_after/before, notes, bbox and radius, media upload, mySociety's
servicerequestupdates) and an OpenAPI 3 description of it all."""
