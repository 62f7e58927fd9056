"""Forms for the steps of an entry: details, the work, translation, consent, submission."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.forms import MultiCheckboxField, NoNul, strip_filter

MAX_TEXT = 60_000


class EntryDetailsForm(FlaskForm):
    discipline = RadioField(_l("Category"), validators=[InputRequired(message=_l("Choose the kind of work."))])
    title = StringField(
        _l("Title of the work"),
        filters=[strip_filter],
        validators=[
            DataRequired(message=_l("Enter the title of the work.")),
            Length(max=300, message=_l("Enter a title of at most 300 characters.")),
            NoNul(),
        ],
        description=_l("Do not put the pupils' names in the title: the jury must not know who made the work."),
    )
    language = SelectField(_l("Language of the work"),
                           description=_l("For an illustration, choose a language only if the drawing holds words."))
    authors = MultiCheckboxField(_l("Pupils who made it"), coerce=int, validate_choice=False,
                                 description=_l("Tick every pupil who worked on it, or choose the whole class below."))
    whole_class = BooleanField(_l("The whole class made it"))


class WorkTextForm(FlaskForm):
    text = TextAreaField(
        _l("The text"),
        filters=[lambda v: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v],
        validators=[
            DataRequired(message=_l("Type or paste the text, or upload a file instead.")),
            Length(max=MAX_TEXT, message=_l("The text can be at most %(max)d characters.", max=MAX_TEXT)),
            NoNul(),
        ],
        description=_l("Type or paste the text. Line breaks and empty lines between stanzas are kept exactly."),
        render_kw={"rows": 16, "spellcheck": "true"},
    )


class WorkUploadForm(FlaskForm):
    file = FileField(_l("File"))


class TranslationForm(FlaskForm):
    translation_language = SelectField(
        _l("Language of the translation"), choices=[("en", "English"), ("fr", "Français")],
    )
    translation_text = TextAreaField(
        _l("Translation"),
        filters=[lambda v: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v],
        validators=[Optional(), Length(max=MAX_TEXT, message=_l("The text can be at most %(max)d characters.", max=MAX_TEXT)), NoNul()],
        description=_l("Optional. An English or French translation helps jurors who do not read the original language."),
        render_kw={"rows": 12},
    )


class ConsentForm(FlaskForm):
    consent_judging = BooleanField(
        _l("Judging: the work may be judged by the international jury (required to take part)")
    )
    consent_publication = BooleanField(_l("Publication: the work may appear in the campaign's publication and web page"))
    consent_social = BooleanField(_l("Social media: the work may be posted on the campaign's social media"))
    consent_name = BooleanField(
        _l("Name: the pupil's first name, age and city may be shown with the work"),
        description=_l("Without this, a published work is credited only as \"a pupil from\" the city."),
    )
    consent_form = FileField(
        _l("Signed consent form (optional)"),
        description=_l("PDF, JPEG or PNG. Kept private: only the secretariat can open it."),
    )


class SubmitForm(FlaskForm):
    confirm_names = BooleanField(_l("I have checked these: they do not identify the pupils. Submit anyway."))


class ConsentWithdrawalForm(FlaskForm):
    """Withdraw consent at any time: the choices are the consents given (publication, social media, names)."""

    withdraw = MultiCheckboxField(_l("Which consent do the parents or guardians withdraw?"), validate_choice=False,
                                  description=_l("Tick each one they withdraw."))
    confirm = HiddenField()
