"""Account forms: sign-up, login, reset, invitation and settings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from accounts.models import ROLE_TITLES, Role
from accounts.passwords import password_problem
from core.forms import ConfirmForm, MultiCheckboxField, email_field, name_field  # noqa: F401 (ConfirmForm: for accounts views)
from core.i18n import timezone_choices

LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français")]


class StrongPassword:
    """Refuses weak passwords, including the account's own email address or name.

    Those come from the form's ``email`` and ``name`` fields when it has them, else
    from what the view told the form (``AccountPasswordForm``).
    """

    def __call__(self, form, field):
        problem = password_problem(
            field.data or "",
            email=_known(form, "email", "account_email"),
            name=_known(form, "name", "account_name"),
        )
        if problem:
            raise ValidationError(problem)


def _known(form, field_name: str, attribute: str) -> str:
    field = form._fields.get(field_name)
    if field is not None:
        return field.data or ""
    return getattr(form, attribute, "") or ""


class AccountPasswordForm(FlaskForm):
    """A form that sets the password of an account the form itself does not ask about."""

    def __init__(self, *args, account_email: str = "", account_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email
        self.account_name = account_name


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


class ResetPasswordForm(AccountPasswordForm):
    password, confirm = new_password_fields()


class AcceptInvitationForm(AccountPasswordForm):
    name = name_field()
    password, confirm = new_password_fields(_l("Choose a password"))
    timezone = timezone_field()


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


class ChangePasswordForm(AccountPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


