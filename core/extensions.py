"""Flask extensions, created here and bound to an app in ``init_app``."""
from __future__ import annotations

from pathlib import Path

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address)


def render_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy types in migration scripts."""
    from core.db import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from core.db import db

    csrf.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(app.root_path) / "migrations"),
        render_as_batch=True, compare_type=True, render_item=render_item,
    )
    limiter.init_app(app)

    # Who is signed in, and where to log in, are for accounts to say: it registers its user loader and
    # login view at its own init_app (accounts/__init__.py).
    login_manager.init_app(app)
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

