"""Forms for registering a class (city, school, class) and recording its pupils."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, FieldList, Form, FormField, HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError
from wtforms.widgets import TextInput

from competition.models.edition import AGE_GROUP_TITLES, AgeGroup
from core.forms import PlainText
from core.i18n import country_name, language_name

NEW_SCHOOL = "new"
MAX_PUPILS = 60
MAX_ROWS = MAX_PUPILS + 20  # a few spare empty rows; more are ignored


def tidy(value):
    """Trim, join runs of spaces and compose accents, so that equal names compare equal."""
    if not isinstance(value, str):
        return value
    return " ".join(unicodedata.normalize("NFC", value).split())


def same_name(a: str, b: str) -> bool:
    return tidy(a).casefold() == tidy(b).casefold()


class WholeNumberField(Field):
    """A typed whole number between ``minimum`` and ``maximum``, with one clear message for every mistake.

    Rendered as a text box with a numeric keyboard, as GOV.UK recommends over ``type=number``.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, minimum: int, maximum: int, message, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum, self.message = minimum, maximum, message

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = int(text) if re.fullmatch(r"[0-9]{1,6}", text) else None

    def pre_validate(self, form):
        if self.data is None or not self.minimum <= self.data <= self.maximum:
            raise StopValidation(self.message)


class CityForm(FlaskForm):
    city = SelectField(_l("City"), validate_choice=False)

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.city.choices = [SelectChoice("", _("Choose a city"))] + [
            SelectChoice(str(c.id), _("%(city)s, %(country)s", city=c.name, country=country_name(c.country_code)))
            for c in cities
        ]

    def validate_city(self, field):
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError(_("Choose the city of your school from the list."))


class SchoolForm(FlaskForm):
    school = RadioField(_l("School"), validate_choice=False)
    school_name = StringField(
        _l("Name of your school"),
        description=_l("Only if it is not in the list. Write its full name, the way the school writes it."),
        filters=[tidy],
        validators=[Length(max=200, message=_l("Enter a school name of at most 200 characters.")), PlainText()],
        render_kw={"autocomplete": "organization"},
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = list(schools)
        self.school.choices = [SelectChoice(str(s.id), s.name) for s in self.schools]
        self.school.choices.append(SelectChoice(NEW_SCHOOL, _("My school is not in the list")))

    def validate_school(self, field):
        if field.data == NEW_SCHOOL or (not field.data and self.school_name.data):
            return
        if not field.data:
            raise ValidationError(_("Choose your school, or choose “My school is not in the list” and type its name."))
        if self.chosen_school() is None:
            raise ValidationError(_("Choose your school from the list."))

    def validate_school_name(self, field):
        if self.school.data == NEW_SCHOOL and not field.data:
            raise ValidationError(_("Enter the name of your school."))

    def chosen_school(self):
        return next((s for s in self.schools if str(s.id) == self.school.data), None)

    def wants_new_school(self) -> bool:
        return self.school.data == NEW_SCHOOL or (not self.school.data and bool(self.school_name.data))


class ClassForm(FlaskForm):
    name = StringField(
        _l("Name of the class"),
        description=_l("As the school calls it, like 6B or Year 4 Blue."),
        filters=[tidy],
        validators=[
            InputRequired(message=_l("Enter the name of the class, like 6B.")),
            Length(max=80, message=_l("Enter a class name of at most 80 characters.")),
            PlainText(),
        ],
        render_kw={"autocomplete": "off"},
    )
    age_group = RadioField(
        _l("Age category"),
        choices=[SelectChoice(g.value, AGE_GROUP_TITLES[g]) for g in AgeGroup],
        validate_choice=False,
    )
    pupil_count = WholeNumberField(
        _l("Number of pupils"),
        description=_l("How many pupils are in the class, from 1 to 60."),
        minimum=1, maximum=MAX_PUPILS,
        message=_l("Enter the number of pupils in the class, from 1 to 60."),
    )
    language = SelectField(_l("Language of work"), description=_l("The language the pupils will write in."),
                           validate_choice=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice("", _("Choose a language"))] + [
            SelectChoice(code, language_name(code, capitalised=True)) for code in languages
        ]

    def validate_age_group(self, field):
        if field.data not in {g.value for g in AgeGroup}:
            raise ValidationError(_("Choose the age category of the class."))

    def validate_language(self, field):
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError(_("Choose the language the pupils will write in."))


class EditClassForm(ClassForm):
    """The class form for an existing class: its pupils and entries must still fit."""

    def __init__(self, *args, school_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_class = school_class

    def validate_age_group(self, field):
        super().validate_age_group(field)
        group = AgeGroup(field.data)
        misfits = [p for p in self.school_class.pupils if p.age not in group.ages]
        if misfits:
            names = ", ".join(_("%(name)s (%(age)d)", name=p.display_name, age=p.age) for p in misfits)
            raise ValidationError(_(
                "These pupils are not aged %(low)d to %(high)d: %(names)s. Keep the age category, or correct their ages first.",
                low=group.ages.start, high=group.ages.stop - 1, names=names))
        live = ("draft", "submitted")
        if any(e.category.age_group != group and e.status in live for e in self.school_class.entries):
            raise ValidationError(_("This class has entries in its current age category. Withdraw them before changing it."))

    def validate_pupil_count(self, field):
        recorded = len(self.school_class.pupils)
        if field.data is not None and field.data < recorded:
            raise ValidationError(_(
                "You have recorded %(n)d pupils. Enter at least %(n)d, or remove pupils first.", n=recorded))


class PupilRow(Form):
    """One pupil: a first name, an optional initial and an age. Nothing more is asked, on purpose."""

    pupil_id = HiddenField()
    first_name = StringField(
        _l("First name"),
        filters=[tidy],
        validators=[
            InputRequired(message=_l("Enter the pupil's first name.")),
            Length(max=60, message=_l("Enter a first name of at most 60 characters.")),
            PlainText(),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false", "required": False},  # empty rows are fine
    )
    initial = StringField(_l("Initial (optional)"), filters=[tidy, lambda v: v.rstrip(".").strip() if v else v],
                          render_kw={"autocomplete": "off", "maxlength": 3, "spellcheck": "false"})
    age = WholeNumberField(_l("Age"), minimum=5, maximum=18, message=_l("Enter the pupil's age, from 5 to 18."))
    remove = BooleanField(_l("Remove this pupil"))

    def validate_initial(self, field):
        if field.data and not (len(field.data) == 1 and field.data.isalpha()):
            raise ValidationError(_("Enter one letter for the initial, like B, or leave it empty."))

    def is_blank(self) -> bool:
        return not (self.pupil_id.data or self.first_name.data or self.initial.data or (self.age.raw_data or [""])[0].strip())

    def validate(self, extra_validators=None):
        if self.is_blank() or (self.pupil_id.data and self.remove.data):
            return True  # empty rows are left out; a pupil being removed needs no valid details
        return super().validate(extra_validators)


class PupilsForm(FlaskForm):
    """Every pupil of a class as rows to fill. Empty rows are left out; rows not sent are left alone."""

    pupils = FieldList(FormField(PupilRow), max_entries=MAX_ROWS)

    def __init__(self, *args, school_class, author_ids=frozenset(), judged_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.school_class = school_class
        self.author_ids = set(author_ids)
        self.judged_ids = set(judged_ids)  # authors of entries jurors have seen: their details are frozen

    @property
    def rows(self) -> list[PupilRow]:
        return [entry.form for entry in self.pupils]

    def validate(self, extra_validators=None):
        fields_ok = super().validate(extra_validators)
        return self._check_together() and fields_ok

    def _check_together(self) -> bool:
        existing = {str(p.id): p for p in self.school_class.pupils}
        sent = [row.pupil_id.data for row in self.rows if row.pupil_id.data]
        if len(set(sent)) != len(sent) or not set(sent) <= set(existing):
            self.form_errors.append(_("The list of pupils has changed since you opened this page. Reload the page and try again."))
            return False
        ok = True
        group = self.school_class.age_group_enum
        kept = {pid: _name_key(p.first_name, p.initial) for pid, p in existing.items() if pid not in sent}
        for row in self.rows:
            pid = row.pupil_id.data
            if pid and row.remove.data:
                if int(pid) in self.author_ids:
                    _add_error(row.remove, _("%(name)s is an author of an entry. Take them off the entry first.",
                                             name=existing[pid].display_name))
                    ok = False
                continue
            if row.is_blank():
                continue
            name = _display(row)
            pupil = existing.get(pid)
            if pupil is not None and int(pid) in self.judged_ids and (
                    tidy(row.first_name.data or ""), (row.initial.data or "").upper(), row.age.data) != (
                    pupil.first_name, pupil.initial.upper(), pupil.age):
                _add_error(row.first_name, _(
                    "%(name)s made an entry that the jury has seen: their name and age can no longer be changed.",
                    name=pupil.display_name))
                ok = False
            if row.age.data is not None and not row.age.errors and row.age.data not in group.ages:
                _add_error(row.age, _(
                    "%(name)s is %(age)d, but this class is for ages %(low)d to %(high)d. "
                    "Correct the age, or change the class's age category.",
                    name=name, age=row.age.data, low=group.ages.start, high=group.ages.stop - 1))
                ok = False
            key = _name_key(row.first_name.data, row.initial.data)
            if row.first_name.data and key in kept.values():
                _add_error(row.first_name, _(
                    "There is already a pupil called %(name)s in this class. Add an initial to tell them apart.",
                    name=name))
                ok = False
            kept[pid or f"new-{id(row)}"] = key
        if len(kept) > self.school_class.pupil_count:
            self.form_errors.append(_(
                "The class has %(count)d pupils, but %(n)d are filled in. Leave some rows empty, "
                "or change the number of pupils in the class.", count=self.school_class.pupil_count, n=len(kept)))
            ok = False
        return ok

    def problems(self) -> list[tuple[str | None, str]]:
        """Every error, for the summary at the top: (id of the field, message)."""
        found: list[tuple[str | None, str]] = [(None, message) for message in self.form_errors]
        if self.csrf_token.errors:
            found.append((None, _("Your form expired. Please send it again.")))
        for number, row in enumerate(self.rows, start=1):
            for field in (row.first_name, row.initial, row.age, row.remove):
                for message in field.errors:
                    found.append((field.id, _("Pupil %(number)d: %(message)s", number=number, message=message)))
        return found

    def changes(self) -> list[dict]:
        """The rows worth saving, as plain data for ``class_operations.save_pupils``."""
        out = []
        for row in self.rows:
            if row.is_blank():
                continue
            initial = (row.initial.data or "").upper()
            out.append({
                "pupil_id": int(row.pupil_id.data) if row.pupil_id.data else None,
                "remove": bool(row.pupil_id.data and row.remove.data),
                "first_name": row.first_name.data,
                "initial": initial if len(initial) == 1 else (row.initial.data or ""),
                "age": row.age.data,
            })
        return out


def _name_key(first_name, initial) -> tuple[str, str]:
    return tidy(first_name or "").casefold(), tidy(initial or "").casefold()


def _add_error(field, message) -> None:
    field.errors = [*field.errors, message]


def _display(row: PupilRow) -> str:
    if row.first_name.errors or not row.first_name.data:
        return _("This pupil")
    return f"{row.first_name.data} {row.initial.data.upper()}." if row.initial.data and not row.initial.errors \
        else row.first_name.data
