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
    _register_navigation(app)
    from competition.audit_words import category_titles
    from core.audit_wording import register_stored_words

    register_stored_words(app, category_titles)


def _register_navigation(app) -> None:
    from flask_babel import lazy_gettext as _l

    from accounts.models import Role
    from core import navigation

    add = navigation.register
    add(app, "competition.public_edition", _l("The competition"), order=10)
    add(app, "competition.classes", _l("Your classes"), roles=(Role.TEACHER,), order=30)
    add(app, "competition.all_entries", _l("Entries"), roles=(Role.SECRETARIAT, Role.COORDINATOR), order=40)
    add(app, "competition.admin_editions", _l("Editions"), roles=(Role.SECRETARIAT,), order=90)
    add(app, "competition.admin_cities", _l("Cities"), roles=(Role.SECRETARIAT,), order=100)
    add(app, "competition.audit_log", _l("Audit"), roles=(Role.SECRETARIAT,), order=120)
    add(app, "competition.public_edition", _l("This year's competition: theme, rules, deadline and materials"),
        order=10, place=navigation.HOME_INTRO)
    add(app, "competition.index", _l("Competition"), roles=(Role.TEACHER, Role.SECRETARIAT, Role.COORDINATOR),
        order=10, place=navigation.HOME_CARDS, hint=_l("Classes, entries and the deadline."))
