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
