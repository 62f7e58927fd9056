"""The secretariat's forms: editions with their categories grid, cities, schools and materials."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from urllib.parse import urlsplit

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import func, select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from competition.editions.operations import NonExistentLocalTime, local_to_utc
from competition.models import City, School
from competition.models.edition import AGE_GROUP_TITLES, DISCIPLINE_TITLES, AgeGroup, Discipline
from core.db import db
from core.forms import (
    LocalDateField,
    LocalTimeField,
    MultiCheckboxField,
    NoNul,
    NumberField,
    PlainText,
    Present,
    country_choices,
    country_codes,
    language_choices,
    strip_filter,
)
from core.i18n import timezone_choices, valid_timezone

# The languages an edition may accept (ISO 639-1), in the order they are offered.
LANGUAGE_CODES = "en fr de es it pt pl el hr nl sv no da fi cs sk sl ro hu bg uk ru tr ar fa".split()
MATERIAL_MAX_MB = 20


# Fields and validators --------------------------------------------------------
def _known_timezone(form, field):
    if not valid_timezone(field.data):
        raise ValidationError(_l("Choose a time zone from the list, like Europe/Paris."))


def _known_languages(form, field):
    if any(code not in LANGUAGE_CODES for code in field.data or ()):
        raise ValidationError(_l("Choose languages from the list only."))


def _cell_title(age: AgeGroup, discipline: Discipline) -> LazyString:
    return LazyString(lambda: f"{AGE_GROUP_TITLES[age]} · {DISCIPLINE_TITLES[discipline]}")


# Each cell of the categories grid: (age group, discipline, field names for "enabled", "limit" and "pages").
CELLS = [(age, discipline, tuple(f"{age.name.lower()}_{discipline.value}_{part}"
                                 for part in ("enabled", "limit", "pages")))
         for age in AgeGroup for discipline in Discipline]


def _nfc(value):
    """One spelling per name: "Malmö" typed with a combining accent is the same city as "Malmö"."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


NAME_FILTERS = [strip_filter, _nfc]


def name_validators(required_message, most: int) -> list:
    return [InputRequired(message=required_message), PlainText(),
            Length(max=most, message=_l("Enter a name of at most %(max)d characters.", max=most))]


# Editions ---------------------------------------------------------------------
class EditionForm(FlaskForm):
    name = StringField(_l("Name of the edition"), description=_l("For example: More than migrants 2026."),
                       filters=NAME_FILTERS, validators=name_validators(_l("Enter the name of the edition."), 200))
    theme = TextAreaField(
        _l("Theme"), description=_l("One or two sentences. Teachers read it first."), filters=[strip_filter],
        validators=[InputRequired(message=_l("Enter the theme of the edition.")),
                    Length(max=2000, message=_l("Enter a theme of at most 2,000 characters.")), NoNul()])
    rules = TextAreaField(
        _l("Rules"), description=_l("Plain text. Leave an empty line between paragraphs."), filters=[strip_filter],
        validators=[Length(max=20000, message=_l("Enter rules of at most 20,000 characters.")), NoNul()])
    theme_fr = TextAreaField(
        _l("Theme in French"), description=_l("Optional. French readers see the English theme until it is filled in."),
        filters=[strip_filter],
        validators=[Length(max=2000, message=_l("Enter a French theme of at most 2,000 characters.")), NoNul()])
    rules_fr = TextAreaField(
        _l("Rules in French"), description=_l("Optional. French readers see the English rules until they are filled in."),
        filters=[strip_filter],
        validators=[Length(max=20000, message=_l("Enter French rules of at most 20,000 characters.")), NoNul()])
    deadline_date = LocalDateField(_l("Deadline date"), validators=[Present(_l("Enter the date of the deadline."))])
    deadline_time = LocalTimeField(_l("Deadline time"), format=["%H:%M", "%H:%M:%S"],
                                   validators=[Present(_l("Enter the time of the deadline, like 23:59."))])
    deadline_timezone = SelectField(
        _l("Deadline time zone"), description=_l("The deadline is at this time in this zone. Everyone else sees it "
                                                 "converted to their own time zone."),
        choices=[SelectChoice(tz, tz.replace("_", " ")) for tz in timezone_choices()], validate_choice=False,
        validators=[_known_timezone])
    results_on = LocalDateField(_l("Results announced on"), validators=[Present(_l("Enter the date of the results."))])
    languages = MultiCheckboxField(
        _l("Languages of the entries"), description=_l("Pupils may write in any of the languages ticked here."),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose at least one language.")), _known_languages])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = language_choices(LANGUAGE_CODES)
        self.deadline_utc: datetime | None = None
        self.deadline_ambiguous = False

    def category_fields(self):
        """(title, enabled, limit, pages) for each cell of the grid, in order."""
        for age, discipline, names in CELLS:
            yield (_cell_title(age, discipline), *(self[name] for name in names))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        parts = (self.deadline_date, self.deadline_time, self.deadline_timezone)
        if any(f.errors for f in parts) or self.deadline_date.data is None or self.deadline_time.data is None:
            return False
        try:
            self.deadline_utc, self.deadline_ambiguous = local_to_utc(
                self.deadline_date.data, self.deadline_time.data, self.deadline_timezone.data)
        except NonExistentLocalTime:
            self.deadline_time.errors.append(_(
                "%(time)s on %(date)s does not exist in %(zone)s: the clocks go forward that night. "
                "Choose a time outside the change, like 23:59.", time=self.deadline_time.data.strftime("%H:%M"),
                date=self.deadline_date.data.isoformat(), zone=self.deadline_timezone.data))
            return False
        if self.results_on.data is not None and self.results_on.data <= self.deadline_date.data:
            self.results_on.errors.append(_("Enter a results date after the submission deadline."))
            return False
        return ok

    def edition_values(self) -> dict:
        return {
            "name": self.name.data, "theme": self.theme.data, "rules": self.rules.data or "",
            "theme_fr": self.theme_fr.data or "", "rules_fr": self.rules_fr.data or "",
            "deadline_at": self.deadline_utc, "deadline_timezone": self.deadline_timezone.data,
            "results_on": self.results_on.data,
            "languages": [code for code in LANGUAGE_CODES if code in self.languages.data],
        }

    def category_values(self) -> dict[tuple[str, str], dict]:
        return {(age.value, discipline.value): {"enabled": bool(self[enabled].data),
                                                "max_entries_per_class": self[limit].data,
                                                "max_pdf_pages": self[pages].data}
                for age, discipline, (enabled, limit, pages) in CELLS}


def _add_category_fields(form_class) -> None:
    for age, discipline, (enabled, limit, pages) in CELLS:
        title = _cell_title(age, discipline)
        setattr(form_class, enabled, BooleanField(_l("Open for entries")))
        message = _l("%(category)s: enter the number of entries per class, from 1 to 100.", category=title)
        setattr(form_class, limit, NumberField(_l("Entries per class, at most"),
                                               validators=[Present(message), NumberRange(1, 100, message)]))
        message = _l("%(category)s: enter the number of PDF pages, from 1 to 200.", category=title)
        setattr(form_class, pages, NumberField(_l("PDF pages per entry, at most"),
                                               validators=[Present(message), NumberRange(1, 200, message)]))


_add_category_fields(EditionForm)


def edition_form_data(edition) -> dict:
    """The form's initial values for an existing edition."""
    local = edition.deadline_local
    data = {
        "name": edition.name, "theme": edition.theme, "rules": edition.rules, "deadline_date": local.date(),
        "theme_fr": edition.theme_fr, "rules_fr": edition.rules_fr,
        "deadline_time": local.time().replace(second=0, microsecond=0), "deadline_timezone": edition.deadline_timezone,
        "results_on": edition.results_on, "languages": edition.language_list,
    }
    cells = {(c.age_group, c.discipline): c for c in edition.categories}
    for age, discipline, (enabled, limit, pages) in CELLS:
        if category := cells.get((age.value, discipline.value)):
            data.update({enabled: category.enabled, limit: category.max_entries_per_class,
                         pages: category.max_pdf_pages})
    return data


def new_edition_form_data(today: date) -> dict:
    """A new edition: the campaign's usual dates (19 November 23:59 Paris time, results 6 December)."""
    year = today.year if today <= date(today.year, 11, 19) else today.year + 1
    data = {"deadline_date": date(year, 11, 19), "deadline_time": time(23, 59), "deadline_timezone": "Europe/Paris",
            "results_on": date(year, 12, 6), "languages": ["en", "fr"]}
    for _age, discipline, (enabled, limit, pages) in CELLS:
        data.update({enabled: True, limit: 3, pages: 1 if discipline is Discipline.ILLUSTRATION else 4})
    return data


# Cities and schools -----------------------------------------------------------
class CityForm(FlaskForm):
    name = StringField(_l("Name of the city"), filters=NAME_FILTERS,
                       validators=name_validators(_l("Enter the name of the city."), 120))
    country_code = SelectField(_l("Country"), validate_choice=False)

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.country_code.choices = country_choices()

    def validate_country_code(self, field):
        if field.data not in country_codes():
            raise ValidationError(_("Choose the country from the list."))

    def validate_name(self, field):
        query = select(City).where(func.lower(City.name) == field.data.lower(),
                                   City.country_code == self.country_code.data)
        if self.city is not None:
            query = query.where(City.id != self.city.id)
        if db.session.scalar(query.limit(1)) is not None:
            raise ValidationError(_("%(name)s is already in the list of cities for this country.", name=field.data))


class SchoolForm(FlaskForm):
    name = StringField(_l("Name of the school"), filters=NAME_FILTERS,
                       validators=name_validators(_l("Enter the name of the school."), 200))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def validate_name(self, field):
        query = select(School).where(School.city_id == self.school.city_id, School.id != self.school.id,
                                     func.lower(School.name) == field.data.lower())
        if db.session.scalar(query.limit(1)) is not None:
            raise ValidationError(_("%(city)s already has a school called %(name)s. If they are the same school, "
                                    "merge them instead.", city=self.school.city.name, name=field.data))


class MergeSchoolForm(FlaskForm):
    target = SelectField(_l("Merge into"), validate_choice=False,
                         description=_l("Its classes move to the school you choose, and this school is removed."))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        others = [s for s in school.city.schools if s.id != school.id]
        self.target.choices = [SelectChoice("", _("Choose a school"))] + [SelectChoice(str(s.id), s.name)
                                                                         for s in others]
        self._allowed = {str(s.id): s for s in others}

    def validate_target(self, field):
        if field.data not in self._allowed:
            raise ValidationError(_("Choose the school to keep, from the same city."))

    @property
    def target_school(self) -> School:
        return self._allowed[self.target.data]


# Materials --------------------------------------------------------------------
def _web_address(form, field):
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(ch.isspace() for ch in field.data):
        raise ValidationError(_l("Enter a web address that starts with https:// or http://, "
                                 "like https://www.coe.int/interculturalcities."))


class MaterialForm(FlaskForm):
    title = StringField(_l("Title"), filters=NAME_FILTERS,
                        validators=name_validators(_l("Enter the title of the material."), 200))
    title_fr = StringField(_l("Title in French"), filters=NAME_FILTERS,
                           description=_l("Optional. French readers see the English title until it is filled in."),
                           validators=[Optional(), PlainText(),
                                       Length(max=200, message=_l("Enter a French title of at most 200 characters."))])
    description = TextAreaField(
        _l("Description (optional)"), description=_l("What it is and how teachers can use it."), filters=[strip_filter],
        validators=[Length(max=2000, message=_l("Enter a description of at most 2,000 characters.")), NoNul()])
    url = StringField(_l("Web address (optional)"), description=_l("A link to the material, starting with https://."),
                      filters=[strip_filter], validators=[
                          Length(max=500, message=_l("Enter a web address of at most 500 characters.")), NoNul(),
                          _web_address], render_kw={"inputmode": "url", "spellcheck": "false"})
    file = FileField(_l("PDF file (optional)"), description=_l(
        "A PDF of up to %(mb)d MB. It replaces the current file, if any.", mb=MATERIAL_MAX_MB))
    remove_file = BooleanField(_l("Remove the current PDF file"))
    language = SelectField(_l("Language (optional)"), validate_choice=False)

    def __init__(self, *args, material=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.material = material
        self.language.choices = [SelectChoice("", _("Any or several languages"))] + language_choices(LANGUAGE_CODES)
        self.pdf_bytes: bytes | None = None

    def validate_language(self, field):
        if field.data and field.data not in LANGUAGE_CODES:
            raise ValidationError(_("Choose the language from the list."))

    def validate_file(self, field):
        upload = field.data
        if not upload:
            return
        data = upload.stream.read(MATERIAL_MAX_MB * 1024 * 1024 + 1)
        if len(data) > MATERIAL_MAX_MB * 1024 * 1024:
            raise ValidationError(_("The file is larger than %(mb)d MB. Choose a smaller PDF.", mb=MATERIAL_MAX_MB))
        if not data.startswith(b"%PDF-"):
            raise ValidationError(_("The file is not a PDF. Choose a PDF file, or save the document as PDF first."))
        self.pdf_bytes = data

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        keeps_file = self.material is not None and self.material.file_key and not self.remove_file.data
        if ok and not self.url.data and self.pdf_bytes is None and not keeps_file:
            self.url.errors.append(_("Enter a web address or choose a PDF file, or both."))
            return False
        return ok
