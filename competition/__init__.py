"""Teachers' side: editions, classes, entries and uploads."""
from flask import Blueprint

bp = Blueprint("competition", __name__, url_prefix="/competition")


def init_app(app):
    from competition import cli, views  # noqa: F401  (registers the routes on bp)
    from competition.entries import image_copies  # noqa: F401  (registers a queue task)

    app.register_blueprint(bp)
    from competition.models.edition import AgeGroup, Discipline
    from competition.models.entry import EntryStatus
    from competition.models.entry import FilePurpose as EntryFilePurpose
    from competition.uploads.model import FileKind

    # Templates compare with members, never with strings (tests/test_templates_use_enums.py).
    app.jinja_env.globals.update(EntryStatus=EntryStatus, EntryFilePurpose=EntryFilePurpose, FileKind=FileKind,
                                 AgeGroup=AgeGroup, Discipline=Discipline)
    cli.init_app(app)
