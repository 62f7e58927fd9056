"""Validators and fields shared by every form."""
from __future__ import annotations

import re
import unicodedata

from babel import Locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectMultipleField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.i18n import country_name, language_name

_FORBIDDEN = re.compile(r"[<>\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def _contains_control(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in value)


class PlainText:
    """Refuses markup, control characters and direction overrides in short texts."""

    def __init__(self, message=None):
        self.message = message or _l("Use letters, numbers and ordinary punctuation only (no < or > and no control characters).")

    def __call__(self, form, field):
        if field.data and (_FORBIDDEN.search(field.data) or _contains_control(field.data)):
            raise ValidationError(self.message)


class NoNul:
    """Long texts may hold markup-looking text (it is escaped), but never NUL or control characters."""

    def __call__(self, form, field):
        if field.data and any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in field.data):
            raise ValidationError(_l("The text contains invisible control characters. Retype it or paste it as plain text."))


def email_field(label=None, required=True, **kwargs):
    from wtforms.validators import DataRequired, Optional

    return StringField(
        label or _l("Email address"),
        filters=[strip_filter, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[
            # DataRequired looks at the value after the filters: only spaces is empty.
            DataRequired(message=_l("Enter an email address.")) if required else Optional(),
            Length(max=254, message=_l("Enter an email address of at most 254 characters.")),
            NoNul(),
            Email(message=_l("Enter an email address in the correct format, like name@example.org."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false", "inputmode": "email"},
        **kwargs,
    )


def name_field(label=None, **kwargs):
    from wtforms.validators import DataRequired

    return StringField(
        label or _l("Full name"),
        filters=[strip_filter],
        validators=[
            DataRequired(message=_l("Enter your name.")),  # after stripping: only spaces is empty
            Length(max=120, message=_l("Enter a name of at most 120 characters.")),
            PlainText(),
        ],
        render_kw={"autocomplete": "name"},
        **kwargs,
    )


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes in a list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _Lenient:
    """A value that does not parse becomes None; the field's validators then say how to fix it."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            self.data = None


NumberField = type("NumberField", (_Lenient, IntegerField), {})
LocalDateField = type("LocalDateField", (_Lenient, DateField), {})
LocalTimeField = type("LocalTimeField", (_Lenient, TimeField), {})


def Present(message):  # noqa: N802 - used like a validator class
    """The field holds a value (after parsing); otherwise stop with ``message``."""

    def check(form, field):
        if field.data is None:
            raise StopValidation(message)

    return check


def language_choices(codes) -> list[SelectChoice]:
    """One choice per language code, named in the reader's language with its code: "French (fr)"."""
    return [SelectChoice(code, f"{language_name(code)} ({code})") for code in codes]


# Babel's territories that are not countries.
NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}


def country_codes() -> set[str]:
    return {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()} - NOT_COUNTRIES


def country_choices() -> list[SelectChoice]:
    names = sorted(((country_name(code), code) for code in country_codes()), key=lambda pair: pair[0].casefold())
    return [SelectChoice("", _("Choose a country"))] + [SelectChoice(code, name) for name, code in names]


class ConfirmForm(FlaskForm):
    """A button that changes something (often after a page saying what it will change): only the CSRF token."""
