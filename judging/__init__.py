"""Jury side: rubrics, assignment, blind scoring, results and exports."""
from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")


def init_app(app):
    from . import models, results_store, views  # noqa: F401  (registers the tables and the routes)
    from .exports import jobs  # noqa: F401  (registers the queue's export task)

    app.register_blueprint(bp)
    from . import gallery_views
    from .exports import cli

    gallery_views.init_app(app)
    cli.init_app(app)
