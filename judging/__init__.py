"""Jury side: rubrics, assignment, blind scoring, results and exports."""
from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")


def init_app(app):
    from . import models, views  # noqa: F401  (registers the tables and the routes)

    app.register_blueprint(bp)
    from . import gallery_views
    from .exports import cli

    gallery_views.init_app(app)
    cli.init_app(app)
