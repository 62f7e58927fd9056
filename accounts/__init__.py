"""Users, login, roles and invitations."""
from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")


def init_app(app):
    from accounts import cli, invitation_views, settings_views, views  # noqa: F401  (registers the routes and commands)

    app.register_blueprint(bp)
    from accounts.models import TokenPurpose

    app.jinja_env.globals.update(TokenPurpose=TokenPurpose)  # templates compare with members, not strings
    cli.init_app(app)
    _register_login(app)
    _register_navigation(app)


def _register_login(app) -> None:
    """Flask-Login (set up in core.extensions) learns from accounts who is signed in and where to log in."""
    from sqlalchemy import bindparam, select
    from sqlalchemy.orm import joinedload

    from accounts.models import Role, User
    from core.db import db

    manager = app.login_manager
    manager.login_view = "accounts.login"

    # One query for the user and their roles (every page of every journey asks for the roles), built once.
    user_by_alternative_id = (select(User).options(joinedload(User.roles))
                              .where(User.alternative_id == bindparam("alternative_id")))

    @manager.user_loader
    def load_user(alternative_id: str):
        user = db.session.execute(user_by_alternative_id,
                                  {"alternative_id": alternative_id}).unique().scalar_one_or_none()
        return user if user is not None and user.is_active else None

    app.jinja_env.globals["Role"] = Role  # templates compare roles: current_user.has_role(Role.JUROR)


def _register_navigation(app) -> None:
    from flask_babel import lazy_gettext as _l

    from accounts.models import Role
    from core import navigation

    add = navigation.register
    add(app, "accounts.invite", _l("Invitations"), roles=(Role.SECRETARIAT,), order=110)
    add(app, "accounts.settings", _l("Your account"), roles=navigation.SIGNED_IN, order=130)
    # The header's account links, and the home page's (core's templates name no endpoint of ours)
    add(app, "accounts.login", _l("Log in"), roles=navigation.SIGNED_OUT, order=10, place=navigation.ACCOUNT)
    add(app, "accounts.signup", _l("Create a teacher account"), roles=navigation.SIGNED_OUT, order=20,
        place=navigation.ACCOUNT)
    add(app, "accounts.logout", _l("Log out"), roles=navigation.SIGNED_IN, order=30, place=navigation.ACCOUNT,
        post=True)
    add(app, "accounts.invite", _l("Invitations"), roles=(Role.SECRETARIAT,), order=30, place=navigation.HOME_CARDS,
        hint=_l("Invite jurors, city coordinators and colleagues."))
    add(app, "accounts.settings", _l("Your account"), roles=navigation.SIGNED_IN, order=40,
        place=navigation.HOME_CARDS, hint=_l("Name, email, password, language and time zone."))
    add(app, "accounts.signup", _l("Create a teacher account"), roles=navigation.SIGNED_OUT, order=10,
        place=navigation.HOME_WELCOME, heading=_l("Teachers"), hint=_l(
            "Register your classes and submit your pupils' work before the deadline. You can save drafts and come "
            "back later."))
    add(app, "accounts.login", _l("Log in"), roles=navigation.SIGNED_OUT, order=20, place=navigation.HOME_WELCOME,
        heading=_l("Jurors and secretariat"),
        hint=_l("Your account is created from the invitation the secretariat sent you by email."))
