"""The form that confirms a purge: the secretariat's own password and a tick."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, InputRequired, Length


class PurgeForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        description=_l("The password you log in with. It confirms that you, and not someone at your computer, "
                       "remove this data."),
        validators=[InputRequired(message=_l("Enter your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("I understand that this data is removed for good and cannot be brought back"),
        validators=[DataRequired(message=_l("Tick the box to confirm that the data may be removed."))],
    )
