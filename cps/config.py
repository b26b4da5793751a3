"""Default settings: tier one of three (defaults, instance/CPS_* environment, per-city DB)."""

# Tier 1 holds every key with its default. Tier 2 overrides it from `instance/config.py` and
# from `CPS_<KEY>` environment variables (values parsed as JSON when they parse, e.g.
# CPS_SUPPORTED_LOCALES='["en","fil"]'). Tier 3 is per city, in the database (City.settings),
# and only for the keys listed in CITY_SETTING_KEYS.

# "development" for the embedded default; "production" refuses unsafe settings at start-up.
ENV = "development"
# Signs sessions and CSRF tokens. Empty: a random key is made once and kept in the instance folder.
SECRET_KEY = ""
# SQLAlchemy URL. Empty: SQLite + SpatiaLite at instance/cps.sqlite. PostgreSQL: postgresql+psycopg://…
DATABASE_URL = ""
# Name or path of the SpatiaLite extension that SQLite loads.
SPATIALITE_LIBRARY = "mod_spatialite"
# Redis for RQ workers and rate limits. Empty: jobs run inside the web process (embedded default).
REDIS_URL = ""
# How background work runs: "auto" (RQ when REDIS_URL is set, else a thread in the web process),
# "rq", "thread", or "off" (nothing runs it but `flask cps scheduler --once`; for tests).
JOBS_MODE = "auto"
# Seconds a Redis call may take before the request gives up on it (the work waits in the outbox).
REDIS_TIMEOUT_S = 0.5
# Prefix of this install's RQ queue names, so that installs can share one Redis.
QUEUE_PREFIX = "cps"
# Seconds between the scheduler's sweeps of due outbox rows.
SWEEP_INTERVAL_S = 15
# Outbox rows handed out per sweep.
SWEEP_BATCH = 500
# Public base URL of the install, used in links sent by SMS/e-mail and to check webhook signatures.
BASE_URL = "http://127.0.0.1:5000"
# Folder holding city packs (`cities/<slug>/`); relative paths are from the project root.
CITY_PACKS_DIR = "cities"
# Slugs of the demo city packs that `flask cps demo` imports: one install serving two cities,
# in two scripts and timezones. The first is the one the root page and the README lead to.
DEMO_CITIES = ["san-fernando-la-union", "pokhara"]

# Locale used when neither the user, the browser nor the city says otherwise.
DEFAULT_LOCALE = "en"
# Every UI locale this install ships catalogs for; a city enables a subset of them.
SUPPORTED_LOCALES = ["en", "fil", "ilo", "vi", "ne", "ko", "id", "es", "fr", "sw", "ar"]
# Timezone used where no city is known (e.g. in logs). Cities set their own.
DEFAULT_TIMEZONE = "UTC"
# Extra translation folders read after translations/ (later ones win): "instance/translations".
EXTRA_TRANSLATION_DIRS = []

# Online geocoder for addresses the gazetteer does not know: "" (off) or "nominatim".
GEOCODER = ""
# Base URL of the Nominatim server (a city may run its own).
GEOCODER_URL = "https://nominatim.openstreetmap.org"
# Seconds to wait for the geocoder before giving up (the offline path still answers).
GEOCODER_TIMEOUT = 3
# User agent sent to the geocoder, as Nominatim's usage policy asks.
GEOCODER_USER_AGENT = "CPS civic participation system"
# Landmarks within this distance (metres) are named when describing a point.
NEAREST_LANDMARK_M = 1000

# How SMS and e-mail leave: "db" keeps them in the outbox for staff to read (no provider),
# "twilio" (SMS) and "smtp" (e-mail) send them.
SMS_TRANSPORT = "db"
EMAIL_TRANSPORT = "db"
# Twilio credentials. SMS leave from their city's own sms_number; TWILIO_FROM (a number, or a
# Messaging Service SID "MG...") is the sender of a city without one.
TWILIO_ACCOUNT_SID = ""
TWILIO_AUTH_TOKEN = ""
TWILIO_FROM = ""
# Twilio API base URL; empty for Twilio's own (a regional edge or a test double may be set).
TWILIO_API_URL = ""
# SMTP relay for e-mail.
SMTP_HOST = "localhost"
SMTP_PORT = 25
SMTP_STARTTLS = False
SMTP_USER = ""
SMTP_PASSWORD = ""
# Sender address of e-mail.
MAIL_FROM = "cps@localhost"
# Seconds to wait for an SMS or e-mail provider before counting the attempt as failed.
PROVIDER_TIMEOUT = 10
# Delivery attempts before an outbox row is dead (visible to admins, not retried).
OUTBOX_MAX_ATTEMPTS = 8
# First retry delay in seconds; it doubles each attempt, up to OUTBOX_MAX_BACKOFF_S.
OUTBOX_BACKOFF_S = 30
OUTBOX_MAX_BACKOFF_S = 3600
# A row left "sending" this long (its worker died) is handed out again.
OUTBOX_LEASE_S = 300

# SMS: messages one phone number may send a city per hour before the rest are stored unanswered.
SMS_MAX_PER_HOUR = 20
# SMS: minutes a report waits for the citizen's answer (where? what?) before it goes to triage.
SMS_CONVERSATION_MINUTES = 60
# An inbound SMS whose handling failed (or was cut short) is handled again by the scheduler
# after this many seconds, up to SMS_INBOUND_MAX_ATTEMPTS times; then it is "dead" for staff.
SMS_INBOUND_RETRY_AFTER_S = 60
SMS_INBOUND_MAX_ATTEMPTS = 5
# SMS: largest MMS photo fetched from the provider, in bytes (larger ones are skipped).
SMS_MAX_MEDIA_BYTES = 5 * 1024 * 1024
# SMS: hosts MMS photos are fetched from (never any other URL a message names).
SMS_MEDIA_HOSTS = ["api.twilio.com", "media.twiliocdn.com"]

# Longest complaint description accepted from any channel, in characters.
MAX_DESCRIPTION_LENGTH = 4000
# Largest request body accepted (photos included), in bytes.
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
# Rows per page in public and staff lists.
PAGE_SIZE = 25

# Proxies in front of the app (nginx = 1) whose X-Forwarded-For/-Proto/-Host are trusted,
# so that rate limits see the citizen's address and links use the public scheme and host.
PROXY_COUNT = 0
# Tile server of the citizen maps, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png".
# Empty (the offline default): maps show the city's district boundaries without tiles.
MAP_TILE_URL = ""
# Attribution shown on maps when tiles are used (HTML allowed, e.g. the tile source's licence).
MAP_TILE_ATTRIBUTION = ""
# Folder of uploaded photos. Empty: instance/uploads.
UPLOAD_DIR = ""
# Photos a citizen may attach to a complaint.
MAX_PHOTOS = 3
# Largest photo file accepted, in bytes; larger uploads are refused with 413.
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# Largest photo accepted, in pixels (width x height): a guard against decompression bombs.
MAX_PHOTO_PIXELS = 40_000_000
# Photos are resized to fit in this many pixels on their longer side, and saved as JPEG.
PHOTO_MAX_SIDE = 1600
# Photos uploaded with a form that was not sent yet are kept this long (hours).
PENDING_PHOTO_HOURS = 24
# Rate limits per client IP (Flask-Limiter syntax); storage is REDIS_URL when set, else memory.
RATE_LIMIT_REPORT = "6 per minute;40 per hour"
RATE_LIMIT_CITIZEN_ACTION = "10 per minute;60 per hour"
RATE_LIMIT_LOOKUP = "60 per minute"
# Open311 discovery: who client developers contact (e.g. an e-mail address); empty: a sentence.
OPEN311_CONTACT = ""
# Open311: requests per API key (a key may have its own limit, set by an admin) ...
OPEN311_KEY_LIMIT = "120 per minute;5000 per day"
# ... and reads per client IP.
OPEN311_READ_LIMIT = "600 per minute"
# Open311 GET requests: the most requests in one answer, and the longest date range (days).
OPEN311_MAX_REQUESTS = 1000
OPEN311_MAX_DAYS = 90
# Open311 GET requests: an identical question within this many seconds is answered from the
# worker's memory (0: always from the database). Clients poll; new requests show up this late.
OPEN311_CACHE_SECONDS = 5
# Cities, categories, holidays, departments and Open311 API keys are read once per worker and
# kept this many seconds (0: read on every request). A change made through one worker is seen
# there at once, and by the other workers within this delay (e.g. a revoked API key).
REFERENCE_CACHE_SECONDS = 5
# Translation catalogs (shipped and the instance's overrides) are looked at again for changes
# at most this often, in seconds (0: on every request).
TRANSLATIONS_RECHECK_SECONDS = 2
# False turns every rate limit off (tests that do not test limits).
RATELIMIT_ENABLED = True
# A report form stays valid this long (seconds) for citizens on slow phones and connections.
WTF_CSRF_TIME_LIMIT = 6 * 3600
# Public list and map: complaints drawn on a map page at most.
MAP_MAX_POINTS = 2000

# Flask-Compress: what leaves compressed (text only; photos and tiles are compressed already).
COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                      "application/json", "application/geo+json", "image/svg+xml"]
COMPRESS_STREAMS = False

# Staff: minutes without a request after which a staff session ends.
STAFF_IDLE_MINUTES = 30
# Staff: login attempts per client address (Flask-Limiter syntax).
RATE_LIMIT_LOGIN = "5 per minute;30 per hour"
# Staff: complaints one bulk action may change at most.
BULK_MAX = 200

# Classifier: a city's model is used only when trained on at least this many staff-confirmed
# complaints (in two categories or more) and better than its keywords on the newest of them.
CLASSIFIER_MIN_EXAMPLES = 50
# Classifier: the probability a used model needs for its category to be taken from an SMS when
# the keywords name none or several.
CLASSIFIER_MIN_CONFIDENCE = 0.6
# Classifier: the newest complaints it learns from at most (bounds the daily training's time).
CLASSIFIER_MAX_EXAMPLES = 20_000

# Per-city keys below: the value here is the default, a city may override it in City.settings.
# Open complaints of the same category within this distance are offered as duplicates (metres).
DUPLICATE_RADIUS_M = 50
# ... and within this age (days).
DUPLICATE_MAX_AGE_DAYS = 30
# A resolved complaint may be reopened by its citizen within this many days.
REOPEN_WINDOW_DAYS = 14
# Reporter contact details are anonymised this many days after a complaint is closed.
RETENTION_DAYS = 730
# An overdue complaint goes to the city's admins this many working days after its deadline.
ESCALATE_TO_ADMIN_AFTER_DAYS = 2
# Characters of the random part of a reference number (a check character is added).
REFERENCE_LENGTH = 6

# The keys a city may override in the database (tier 3).
CITY_SETTING_KEYS = [
    "DUPLICATE_RADIUS_M",
    "DUPLICATE_MAX_AGE_DAYS",
    "REOPEN_WINDOW_DAYS",
    "RETENTION_DAYS",
    "REFERENCE_LENGTH",
    "ESCALATE_TO_ADMIN_AFTER_DAYS",
]

# Flask-SQLAlchemy: no event system overhead we do not use.
SQLALCHEMY_TRACK_MODIFICATIONS = False
# Session cookie hardening; SESSION_COOKIE_SECURE is turned on in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
