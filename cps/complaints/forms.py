"""Citizens' web forms. They parse and carry values; the services decide what is valid."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    StringField,
    TelField,
    TextAreaField,
)


class ContactFields(FlaskForm):
    """Optional contact details, private; used only to tell the citizen of progress."""

    name = StringField(_l("Your name"), render_kw={"autocomplete": "name", "maxlength": 200})
    phone = TelField(_l("Mobile number"), render_kw={"autocomplete": "tel", "maxlength": 40})
    email = EmailField(_l("E-mail"), render_kw={"autocomplete": "email", "maxlength": 254})
    notify = BooleanField(_l("Tell me when it changes"))
    submission_key = HiddenField()


class ReportForm(ContactFields):
    """A complaint: what, where, photos, who (optional)."""

    description = TextAreaField(_l("What is the problem?"), render_kw={"rows": 5})
    location_text = StringField(_l("Where is it?"),
                                render_kw={"autocomplete": "off", "maxlength": 500})
    lat = HiddenField()
    lon = HiddenField()
    photos = MultipleFileField(_l("Photos"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp"})
    photo_tokens = HiddenField()
    show_name = BooleanField(_l("Show my name on the public page"))
    # Set once the citizen has seen the similar complaints nearby and said theirs is new.
    confirmed_new = HiddenField()


class SupportForm(ContactFields):
    """ "This is my problem too": optional contact to be told of progress."""


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Why is the problem not solved?"),
                           render_kw={"rows": 3, "maxlength": 1000})


class RateForm(FlaskForm):
    rating = RadioField(_l("How satisfied are you with how it was handled?"),
                        choices=[SelectChoice("5", _l("5 – Very satisfied")),
                                 SelectChoice("4", _l("4 – Satisfied")),
                                 SelectChoice("3", _l("3 – Neither")),
                                 SelectChoice("2", _l("2 – Dissatisfied")),
                                 SelectChoice("1", _l("1 – Very dissatisfied"))],
                        validate_choice=False)
    comment = TextAreaField(_l("Anything to add? (optional)"),
                            render_kw={"rows": 3, "maxlength": 1000})
