"""Template helpers: navigation by role, dates in the viewer's timezone, languages."""
from __future__ import annotations

from flask import current_app, request
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from accounts.models import Role

# (endpoint, label, roles that see it; empty = every signed-in user)
NAVIGATION = [
    ("competition.index", _l("Competition"), ()),
    ("judging.index", _l("Judging"), (Role.JUROR, Role.SECRETARIAT)),
    ("accounts.invite", _l("Invitations"), (Role.SECRETARIAT,)),
    ("accounts.settings", _l("Your account"), ()),
]


def navigation():
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label, roles in NAVIGATION:
        if endpoint not in current_app.view_functions:
            continue
        if roles and not current_user.has_role(*roles):
            continue
        items.append((endpoint, label))
    return items


def localdatetime(value, fmt="medium"):
    """Show a stored UTC datetime in the viewer's timezone and language."""
    return format_datetime(value, fmt) if value else ""


def localdate(value, fmt="long"):
    return format_date(value, fmt) if value else ""


def init_app(app) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["localdatetime"] = localdatetime
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["Role"] = Role

    @app.context_processor
    def _globals():
        from flask_babel import get_locale

        return {
            "navigation": navigation(),
            "languages": current_app.config["LANGUAGES"],
            "current_language": str(get_locale() or "en"),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
