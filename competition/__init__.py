"""Teachers' side: editions, classes, entries and uploads."""
from flask import Blueprint

bp = Blueprint("competition", __name__, url_prefix="/competition")


def init_app(app):
    from competition import cli, views  # noqa: F401  (registers the routes on bp)
    from competition.entries import image_copies  # noqa: F401  (registers a queue task)

    app.register_blueprint(bp)
    cli.init_app(app)
