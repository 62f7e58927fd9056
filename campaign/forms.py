"""Forms of the campaign: one details form per kind (built at runtime), consent, review and crop."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DecimalRangeField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from campaign.checks import STATEMENT_LANGUAGES
from campaign.models import Kind
from core.forms import MultiCheckboxField, NoNul, PlainText, strip_filter

# Languages a quote or story may be written in: the network's, and the migrants' most frequent ones.
LANGUAGES = ("en", "fr", "ar", "fa", "uk", "ru", "tr", "ti", "am", "so", "ps", "ur", "sq", "es", "it", "de", "pt",
             "pl", "ro", "el", "nl", "sv", "no", "da", "fi", "he", "hi", "zh", "ja")


class DetailsForm(FlaskForm):
    person_name = StringField(_l("First name (optional)"), filters=[strip_filter],
                              validators=[Length(max=120, message=_l("Enter a name of at most 120 characters.")),
                                          PlainText()])
    person_title = StringField(_l("Official title"), filters=[strip_filter],
                               validators=[Length(max=200, message=_l("Enter a title of at most 200 characters.")),
                                           PlainText()])
    language = SelectField(_l("Language of the text"), validate_choice=False)
    text = TextAreaField(_l("Text"), filters=[strip_filter], validators=[NoNul(), Length(max=40_000)])
    document = FileField(_l("Or upload the story"),
                         description=_l("Word (DOCX), OpenDocument (ODT) or plain text (TXT), at most one A4 page. It replaces the text above."))
    translation_language = SelectField(_l("Language of the translation"), validate_choice=False,
                                       choices=[("", _l("No translation")), ("en", "English"), ("fr", "Français")])
    translation_text = TextAreaField(_l("Translation into English or French"), filters=[strip_filter],
                                     validators=[NoNul(), Length(max=40_000)])
    photo = FileField(_l("Portrait photo (optional)"),
                      description=_l("JPEG or PNG, taller than it is wide, one clear image of the participant. Location and camera data are removed."))
    remove_photo = BooleanField(_l("Remove the photo"))


TEXT_LABELS = {
    Kind.QUOTE: (_l("The quote"), _l("In the brief's format: \"I am many things. I am…, I like…, I do…. I am a migrant.\" For example: \"I am an entrepreneur. I am a mother. I like football. I am a migrant.\"")),
    Kind.STORY: (_l("The story"), _l("At most one A4 page (about 500 words). Type or paste it here, or upload it below.")),
    Kind.STATEMENT: (_l("The statement"), _l("In English or French, on the diversity advantage.")),
}


def details_form(kind: Kind, language_name, obj=None) -> DetailsForm:
    form = DetailsForm(obj=obj)
    label, hint = TEXT_LABELS[kind]
    form.text.label.text, form.text.description = label, hint
    codes = STATEMENT_LANGUAGES if kind is Kind.STATEMENT else LANGUAGES
    form.language.choices = [(code, language_name(code)) for code in codes]
    if kind is Kind.STATEMENT:
        form.person_name.label.text = _l("Name of the mayor or elected official")
        form.photo.label.text = _l("Photo (optional)")
        form.photo.description = _l("JPEG or PNG. Location and camera data are removed.")
        form.person_name.validators = [DataRequired(message=_l("Enter the official's name.")), *form.person_name.validators]
        form.person_title.validators = [DataRequired(message=_l("Enter the official's title, for example Mayor of Lisbon.")),
                                        *form.person_title.validators]
    else:
        form.person_name.description = _l("Shown on the card only if the participant agrees to show their name.")
    return form


class ConsentForm(FlaskForm):
    consent_publication = BooleanField(_l("Publication on the campaign page and in the publication"))
    consent_social = BooleanField(_l("Publication on social media"))
    consent_image = BooleanField(_l("Use of their photo"))
    consent_name = BooleanField(_l("Their first name shown"))
    consent_form = FileField(_l("Signed consent form (optional)"),
                             description=_l("PDF, JPEG or PNG: a scan or photo of the signed form."))


class ConsentWithdrawalForm(FlaskForm):
    withdraw = MultiCheckboxField(_l("Which consent does the participant withdraw?"), validate_choice=False, choices=[
        ("publication", _l("Publication on the campaign page and in the publication")),
        ("social", _l("Publication on social media")),
        ("image", _l("Use of their photo")),
        ("name", _l("Their first name shown")),
    ])


class ReturnForm(FlaskForm):
    message = TextAreaField(_l("What should the city change?"), filters=[strip_filter],
                            validators=[DataRequired(message=_l("Write what the city should change.")), NoNul(),
                                        Length(max=4000)])


class CropForm(FlaskForm):
    crop_x = DecimalRangeField(_l("Centre, from left to right (%)"), places=0, validators=[Optional()])
    crop_y = DecimalRangeField(_l("Centre, from top to bottom (%)"), places=0, validators=[Optional()])
    crop_zoom = DecimalRangeField(_l("Zoom"), places=1, validators=[Optional()])


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    city = SelectField(_l("City"), validate_choice=False)
    kind = SelectField(_l("Kind"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
