"""Jury side: rubrics, assignment, blind scoring, results and exports."""
from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")


def init_app(app):
    from judging import models, views  # noqa: F401  (registers the tables and the routes)
    from judging.exports import jobs  # noqa: F401  (registers the queue's export task)
    from judging.results import store  # noqa: F401  (registers the queue's ranking task)

    app.register_blueprint(bp)
    from judging.exports.freshness import Freshness
    from judging.models import AwardKind, ConflictKind, ExportKind, JobStatus, RoundStatus, ScoreStatus, ScoringMethod

    # Templates compare with members, never with strings (tests/test_templates_use_enums.py).
    app.jinja_env.globals.update(RoundStatus=RoundStatus, ScoreStatus=ScoreStatus, JobStatus=JobStatus,
                                 ExportKind=ExportKind, ConflictKind=ConflictKind, AwardKind=AwardKind,
                                 ScoringMethod=ScoringMethod, Freshness=Freshness)
    from judging.exports import cli
    from judging.gallery import views as gallery_views

    gallery_views.init_app(app)
    cli.init_app(app)
    from judging import competition_hooks

    competition_hooks.init_app(app)  # the freeze and the withdrawal page ask the jury through these
    _register_navigation(app)
    _register_template_globals(app)


def _register_navigation(app) -> None:
    from flask_babel import lazy_gettext as _l

    from accounts.models import Role
    from core import navigation

    add = navigation.register
    add(app, "results.gallery", _l("Results"), order=20)
    add(app, "judging.index", _l("Judging"), roles=(Role.JUROR, Role.SECRETARIAT), order=60)
    add(app, "judging.my_profile", _l("Juror profile"), roles=(Role.JUROR,), order=70)
    add(app, "judging.my_conflicts", _l("Conflicts of interest"), roles=(Role.JUROR,), order=80)
    add(app, "judging.index", _l("Judging"), roles=(Role.JUROR, Role.SECRETARIAT), order=20,
        place=navigation.HOME_CARDS, hint=_l("Entries to score, rubrics and results."))


def _register_template_globals(app) -> None:
    from judging.rubrics.defaults import criterion_title

    app.jinja_env.globals["criterion_title"] = criterion_title
