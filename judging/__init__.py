"""Jury side: rubrics, assignment, blind scoring, results and exports."""
from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")


def init_app(app):
    from . import views  # noqa: F401  (registers the routes on bp)

    app.register_blueprint(bp)
