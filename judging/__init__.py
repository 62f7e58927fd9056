"""Jury side: rubrics, assignment, blind scoring, results and exports."""
from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")


def init_app(app):
    from judging import models, views  # noqa: F401  (registers the tables and the routes)
    from judging.exports import jobs  # noqa: F401  (registers the queue's export task)
    from judging.results import store  # noqa: F401  (registers the queue's ranking task)

    app.register_blueprint(bp)
    from judging.exports import cli
    from judging.gallery import views as gallery_views

    gallery_views.init_app(app)
    cli.init_app(app)
