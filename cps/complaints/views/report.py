"""Filing a complaint on the web: pick a category, describe, place, add photos, send."""

import secrets

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cps.cities.models import Category
from cps.complaints import validation
from cps.complaints.errors import PhotoError
from cps.complaints.forms import ReportForm, SupportForm
from cps.complaints.keys import new_owner_key
from cps.complaints.models import Channel
from cps.complaints.photos import process_photo
from cps.complaints.services import find_duplicates, find_submission, submit_complaint
from cps.complaints.storage import pending, stash
from cps.complaints.views import bp
from cps.complaints.views.common import (
    active_categories,
    browser_key,
    limit,
    public_complaint,
    remember_key,
)
from cps.domain import DomainError
from cps.extensions import csrf, db, limiter
from cps.routing.errors import AmbiguousPlace, LocationError
from cps.routing.locate import locate

# The value of a "which place?" choice with no point (a district known by name only).
NAMED_CHOICE = "name:"

@bp.route("/report")
def report_start():
    """Step one: what kind of problem is it?"""
    return render_template("complaints/report_start.html", categories=active_categories())


@bp.route("/report/<code>", methods=["GET", "POST"])
@limiter.limit(limit("RATE_LIMIT_REPORT"), methods=["POST"])
@csrf.exempt  # the form checks its own token, so that an expired form keeps what was typed
def report(code):
    """Step two: the report form of one category (works without JavaScript)."""
    category = _category(code)
    form = ReportForm()
    if request.method == "GET":
        form.submission_key.data = secrets.token_hex(16)
        form.lat.data, form.lon.data = request.args.get("lat", ""), request.args.get("lon", "")
        return _form(category, form)
    return Submission(category, form).handle()


@bp.route("/report/done/<reference>")
def report_done(reference):
    """The confirmation: the reference, where it went, when to expect it, how to follow it."""
    complaint, _canonical = public_complaint(reference)
    key = browser_key(complaint)
    private_link = key and url_for("complaints.track", reference=complaint.reference, key=key,
                                   _external=True)
    return render_template("complaints/done.html", complaint=complaint,
                           private_link=private_link)


def _category(code: str) -> Category:
    category = db.session.scalar(select(Category).where(
        Category.city_id == g.city.id, Category.code == code[:64], Category.active))
    if category is None:
        abort(404)
    return category


def _form(category, form, errors=None, photos=(), candidates=(), duplicates=(), status=200):
    return render_template(
        "complaints/report.html", category=category, form=form, errors=errors or {},
        photos=photos, candidates=candidates, duplicates=duplicates,
        answers=_answers_given(category), max_photos=current_app.config["MAX_PHOTOS"],
        support_form=SupportForm(formdata=None)), status


def _answers_given(category) -> dict:
    if request.method != "POST":
        return {}
    return {q["code"]: (request.form.getlist(f"answer_{q['code']}")
                        if q["datatype"] == "multivaluelist"
                        else request.form.get(f"answer_{q['code']}", ""))
            for q in category.questions}


class Submission:
    """One POST of the report form: checked whole, then saved whole, or shown again."""

    def __init__(self, category: Category, form: ReportForm):
        self.category, self.form, self.errors = category, form, {}
        self.photos = []

    def handle(self):
        existing = find_submission(g.city, self.form.submission_key.data)
        if existing is not None:  # sent twice (double tap, reload): one complaint
            return redirect(url_for("complaints.report_done", reference=existing.reference))
        if not self.form.validate():
            self.errors["form"] = _("This form has expired or did not come from this site. "
                                    "Please check your report and send it again.")
            self.form.submission_key.data = self.form.submission_key.data or secrets.token_hex(16)
        self._take_photos()
        fields = self._fields()
        location = self._check(fields)
        if self.errors:
            status = 400 if "form" in self.errors else max(
                (getattr(e, "status", 422) for e in self._raised), default=422)
            return _form(self.category, self.form, self.errors, self.photos,
                         self._candidates, status=status)
        duplicates = self._duplicates(location)
        mine = [c for c, _d in duplicates if c.submission_key == self.form.submission_key.data]
        if mine:  # this very form, saved meanwhile by a request sent at the same time
            return redirect(url_for("complaints.report_done", reference=mine[0].reference))
        if duplicates:
            self.form.confirmed_new.data = "1"
            return _form(self.category, self.form, photos=self.photos, duplicates=duplicates)
        return self._save(fields)

    def _take_photos(self) -> None:
        """Keep the photos sent before (tokens) and process the new uploads."""
        self._raised = []
        tokens = (self.form.photo_tokens.data or "").split()
        self.photos = [p for p in map(pending, tokens[:10]) if p is not None]
        for upload in request.files.getlist(self.form.photos.name):
            if not upload or not upload.filename:
                continue
            try:
                processed = process_photo(upload.read(), upload.filename)
            except PhotoError as error:
                self._fail("photos", error)
                continue
            self.photos.append(pending(stash(processed)))
        limit_ = current_app.config["MAX_PHOTOS"]
        if len(self.photos) > limit_:
            self.errors["photos"] = _("At most %(n)d photos, please.", n=limit_)
            self.photos = self.photos[:limit_]
        self.form.photo_tokens.data = " ".join(p.token for p in self.photos)

    def _fields(self) -> dict:
        f = self.form
        choice = request.form.get("place_choice", "")[:300]
        if choice.startswith(NAMED_CHOICE):  # a district known by name only: found by name
            f.location_text.data, f.lat.data, f.lon.data = choice[len(NAMED_CHOICE):], "", ""
        elif len(choice[:60].split(",")) == 2:  # a place picked among several that matched
            f.lat.data, f.lon.data = choice[:60].split(",")
        return {"category": self.category.code, "description": f.description.data,
                "answers": _answers_given(self.category), "location_text": f.location_text.data,
                "lat": f.lat.data or None, "lon": f.lon.data or None, "photos": self.photos,
                "reporter_name": f.name.data, "reporter_phone": f.phone.data,
                "reporter_email": f.email.data, "notify": f.notify.data,
                "show_name": f.show_name.data, "reporter_locale": str(get_locale()),
                "submission_key": f.submission_key.data}

    def _check(self, fields: dict):
        """Every check of the intake service, each error kept for its own field."""
        self._candidates = []
        checks = [("description", lambda: validation.description(fields["description"])),
                  ("answers", lambda: validation.answers(self.category, fields["answers"])),
                  ("phone", lambda: validation.phone(fields["reporter_phone"],
                                                     g.city.country_code)),
                  ("email", lambda: validation.email(fields["reporter_email"]))]
        for name, check in checks:
            try:
                check()
            except DomainError as error:
                self._fail(name, error)
        return self._locate(fields)

    def _locate(self, fields: dict):
        try:
            location = locate(g.city, fields["lat"], fields["lon"], fields["location_text"],
                              [p.position for p in self.photos])
        except AmbiguousPlace as error:
            self._candidates = error.details.get("candidates", [])
            self._fail("location", error)
            return None
        except LocationError as error:
            self._fail("location", error)
            return None
        if not location.found and location.district_id is None:
            self.errors["location"] = _("Please tell us where the problem is: tap the map, "
                                        "use your location, or type a barangay or landmark.")
        return location

    def _fail(self, name: str, error: DomainError) -> None:
        self._raised.append(error)
        self.errors.setdefault(name, error.message)

    def _duplicates(self, location):
        if self.form.confirmed_new.data or location is None or not location.found:
            return []
        return find_duplicates(g.city, self.category.id, location.lat, location.lon)[:5]

    def _save(self, fields: dict):
        key = new_owner_key()
        try:
            complaint = submit_complaint(g.city, Channel.WEB, {**fields, "owner_key": key})
            db.session.commit()
        except IntegrityError:  # the same form sent twice at once: the other one won
            db.session.rollback()
            existing = find_submission(g.city, fields["submission_key"])
            if existing is None:
                raise
            return redirect(url_for("complaints.report_done", reference=existing.reference))
        except DomainError as error:
            db.session.rollback()
            self._fail(error.details.get("field", "form"), error)
            return _form(self.category, self.form, self.errors, self.photos,
                         status=error.status)
        remember_key(complaint, key)
        session.permanent = True
        return redirect(url_for("complaints.report_done", reference=complaint.reference))
