"""Forms for rounds, assignments, reminders and conflicts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput


class RoundForm(FlaskForm):
    jurors_per_entry = IntegerField(
        _l("Jurors per entry"), default=3, widget=TextInput(),  # GOV.UK: text + inputmode, not type=number
        description=_l("How many jurors score each entry, from 1 to 20. Three is usual."),
        validators=[InputRequired(message=_l("Enter the number of jurors per entry, from 1 to 20.")),
                    NumberRange(min=1, max=20, message=_l("Enter the number of jurors per entry, from 1 to 20."))])
    seed = IntegerField(
        _l("Random seed"), default=2026, widget=TextInput(),
        description=_l("A whole number. The same number gives the same assignment again."),
        validators=[InputRequired(message=_l("Enter the random seed as a whole number, like 2026.")),
                    NumberRange(min=0, max=2_000_000_000,
                                message=_l("Enter the random seed as a whole number, like 2026."))])
    closes_on = DateField(_l("Scoring closes on (optional)"), validators=[Optional()],
                          description=_l("Leave empty to close the round by hand."))
    closes_time = TimeField(_l("at (time, optional)"), validators=[Optional()],
                            description=_l("In your time zone. 23:59 if empty."))

    def validate_seed(self, field):
        # IntegerField reports "Not a valid integer value"; say how to fix it instead.
        if field.errors or field.data is None:
            field.errors[:] = []
            raise ValidationError(_l("Enter the random seed as a whole number, like 2026."))

    def validate_jurors_per_entry(self, field):
        if field.data is None:
            field.errors[:] = []
            raise ValidationError(_l("Enter the number of jurors per entry, from 1 to 20."))


class AddJurorForm(FlaskForm):
    juror = SelectField(_l("Add a juror"), coerce=str,
                        validators=[InputRequired(message=_l("Choose a juror to add."))])


class ReminderForm(FlaskForm):
    juror = StringField(default="")  # empty: every juror with unfinished work


class CityConflictForm(FlaskForm):
    city = SelectField(_l("City"), coerce=str, validators=[InputRequired(message=_l("Choose a city."))],
                       description=_l("For example the city you live or work in."))


class SchoolConflictForm(FlaskForm):
    school = SelectField(_l("School"), coerce=str, validators=[InputRequired(message=_l("Choose a school."))],
                         description=_l("For example a school where you teach or where your children go."))


class CodeForm(FlaskForm):
    code = StringField(validators=[InputRequired()])
