"""Citizen web pages of a city: home, report, confirmation, tracking, public list and map."""

from flask import Blueprint

bp = Blueprint("complaints", __name__, template_folder="../templates", url_prefix="/<city>")

from cps.complaints.views import pages, report, track  # noqa: E402, F401  (routes on bp)
