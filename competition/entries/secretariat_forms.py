"""Forms the secretariat uses on entries and classes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from core.forms import NoNul, strip_filter


class DisqualifyForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason, sent to the teacher"),
        filters=[strip_filter],
        validators=[DataRequired(message=_l("Enter the reason. The teacher will receive it by email.")),
                    Length(max=2000, message=_l("Enter at most %(max)d characters.", max=2000)), NoNul()],
        render_kw={"rows": 4},
    )


class ExtensionForm(FlaskForm):
    until = DateTimeLocalField(
        _l("New deadline for this class"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Enter the date and time, like 2026-11-21 18:00."))],
        description=_l("In the edition's time zone (%(tz)s)."),
    )


class EntryFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    city = SelectField(_l("City"), coerce=str, validate_choice=False)
    category = SelectField(_l("Category"), coerce=str, validate_choice=False)
    status = SelectField(_l("Status"), coerce=str, validate_choice=False)
    flag = SelectField(_l("Checks"), coerce=str, validate_choice=False)
