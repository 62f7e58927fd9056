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
    from sqlalchemy import bindparam, select
    from sqlalchemy.orm import joinedload

    from accounts.models import User
    from core.db import db

    csrf.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(app.root_path) / "migrations"),
        render_as_batch=True, compare_type=True, render_item=render_item,
    )
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    # One query for the user and their roles (every page of every journey asks for the roles), built once.
    user_by_alternative_id = (select(User).options(joinedload(User.roles))
                              .where(User.alternative_id == bindparam("alternative_id")))

    @login_manager.user_loader
    def load_user(alternative_id: str):
        user = db.session.execute(user_by_alternative_id,
                                  {"alternative_id": alternative_id}).unique().scalar_one_or_none()
        return user if user is not None and user.is_active else None
