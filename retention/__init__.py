"""The purge of an edition's personal data and the teacher's data export.

The one package besides demo/ and app.py allowed to import both domains: the purge removes judging rows
that point at entries, and the teacher's export lists what judging holds about their classes.
"""
from flask import Blueprint

bp = Blueprint("retention", __name__, url_prefix="/competition")


def init_app(app) -> None:
    from retention import views  # noqa: F401  (registers the routes on bp)

    app.register_blueprint(bp)
