"""Users, login, roles and invitations."""
from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")


def init_app(app):
    from accounts import cli, invitation_views, settings_views, views  # noqa: F401  (registers the routes and commands)

    app.register_blueprint(bp)
    from accounts.models import TokenPurpose

    app.jinja_env.globals.update(TokenPurpose=TokenPurpose)  # templates compare with members, not strings
    cli.init_app(app)
