"""Jurors' profiles: languages read, city and country, and (for the secretariat) cap and juries."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, ValidationError

from competition.models import City
from core.db import db
from core.forms import MultiCheckboxField, NumberField, Present, country_choices, country_codes, language_choices

# Offered to every juror besides the edition's own languages.
COMMON_LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl", "pl", "ar"]
MAX_CAP = 1000


def language_codes(edition, current: list[str] = ()) -> list[str]:
    """The edition's languages, then common ones, then any the juror already has: each once, in that order."""
    codes = []
    for code in [*(edition.language_list if edition else []), *COMMON_LANGUAGES, *current]:
        if code and code not in codes:
            codes.append(code)
    return codes


class ProfileForm(FlaskForm):
    """What a juror sets themselves."""

    languages = MultiCheckboxField(_l("Languages you can read"), validate_choice=False,
                                   description=_l("You are given entries written in these languages."),
                                   validators=[InputRequired(message=_l("Choose at least one language."))])
    city_id = SelectField(_l("City"), validate_choice=False,
                          description=_l("The member city you live or work in, if any. You are not given entries "
                                         "from your own city."))
    country_code = SelectField(_l("Country"), validate_choice=False)

    def __init__(self, *args, edition=None, user=None, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = profile.language_list if profile else []
        self.language_codes = language_codes(edition, current)
        self.languages.choices = language_choices(self.language_codes)
        cities = db.session.scalars(select(City).order_by(City.name)).all()
        self._cities = {str(c.id): c for c in cities if c.active or (profile is not None and c.id == profile.city_id)}
        self.city_id.choices = [SelectChoice("", _("None of the member cities"))] + [
            SelectChoice(key, city.name) for key, city in self._cities.items()]
        self.country_code.choices = country_choices()

    def validate_languages(self, field):
        if any(code not in self.language_codes for code in field.data or ()):
            raise ValidationError(_("Choose languages from the list only."))

    def validate_city_id(self, field):
        if field.data and field.data not in self._cities:
            raise ValidationError(_("Choose the city from the list."))

    def validate_country_code(self, field):
        if field.data and field.data not in country_codes():
            raise ValidationError(_("Choose the country from the list."))

    def profile_values(self) -> dict:
        return {"languages": [code for code in self.language_codes if code in self.languages.data],
                "city_id": int(self.city_id.data) if self.city_id.data else None,
                "country_code": self.country_code.data or ""}


class JurorForm(ProfileForm):
    """What the secretariat sets: the profile, the cap and which juries the juror sits on."""

    languages = MultiCheckboxField(_l("Languages the juror can read"), validate_choice=False,
                                   description=_l("Entries are only given to jurors who read their language."),
                                   validators=[InputRequired(message=_l("Choose at least one language."))])
    max_entries = NumberField(_l("Most entries to score"), description=_l(
        "A whole number from 0 to %(max)d. 0 means no entries for now.", max=MAX_CAP), validators=[
        Present(_l("Enter the most entries to score, a whole number from 0 to %(max)d.", max=MAX_CAP)),
        NumberRange(0, MAX_CAP, _l("Enter the most entries to score, a whole number from 0 to %(max)d.", max=MAX_CAP))])
    round1 = BooleanField(_l("Scores in round 1"))
    final_jury = BooleanField(_l("Sits on the final jury"))
    active = BooleanField(_l("Active"), description=_l("Untick when a juror drops out: their entries that are not "
                                                       "scored yet go to other jurors."))

    def profile_values(self) -> dict:
        return {**super().profile_values(), "max_entries": self.max_entries.data, "round1": bool(self.round1.data),
                "final_jury": bool(self.final_jury.data), "active": bool(self.active.data)}


def profile_form_data(user, profile) -> dict:
    return {"languages": profile.language_list, "city_id": str(profile.city_id) if profile.city_id else "",
            "country_code": profile.country_code, "max_entries": profile.max_entries, "round1": profile.round1,
            "final_jury": profile.final_jury, "active": profile.active}
