"""Account forms: sign-up, login, reset, invitation and settings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import email_field, name_field
from core.i18n import timezone_choices

from .models import ROLE_TITLES, Role
from .passwords import password_problem

LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français")]


class StrongPassword:
    def __call__(self, form, field):
        email = getattr(form, "email", None)
        name = getattr(form, "name", None)
        problem = password_problem(
            field.data or "",
            email=(email.data or "") if email is not None else "",
            name=(name.data or "") if name is not None else "",
        )
        if problem:
            raise ValidationError(problem)


def new_password_fields(label=None):
    password = PasswordField(
        label or _l("New password"),
        description=_l("At least 12 characters. A short sentence is easy to remember and hard to guess."),
        validators=[InputRequired(message=_l("Enter a password.")), StrongPassword()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Confirm the password"),
        validators=[
            InputRequired(message=_l("Enter the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same. Type them again.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def timezone_field():
    return SelectField(
        _l("Time zone"),
        description=_l("Deadlines and dates are shown in this time zone."),
        choices=[(tz, tz.replace("_", " ")) for tz in timezone_choices()],
        default="Europe/Paris",
        validate_choice=True,
    )


def language_field():
    return SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="en")


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class SignupForm(FlaskForm):
    name = name_field()
    email = email_field()
    password, confirm = new_password_fields(_l("Choose a password"))
    language = language_field()
    timezone = timezone_field()


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class AcceptInvitationForm(FlaskForm):
    name = name_field()
    password, confirm = new_password_fields(_l("Choose a password"))
    timezone = timezone_field()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InviteForm(FlaskForm):
    email = email_field()
    roles = MultiCheckboxField(
        _l("Roles"),
        choices=[(r.value, ROLE_TITLES[r]) for r in (Role.JUROR, Role.SECRETARIAT, Role.COORDINATOR)],
        validators=[InputRequired(message=_l("Choose at least one role."))],
    )
    language = SelectField(
        _l("Language of the invitation email"), choices=LANGUAGE_CHOICES, default="en"
    )


class ProfileForm(FlaskForm):
    name = name_field()
    language = language_field()
    timezone = timezone_field()


class ChangeEmailForm(FlaskForm):
    email = email_field(_l("New email address"))
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons such as "log out"."""

    confirm = BooleanField(default=True)
