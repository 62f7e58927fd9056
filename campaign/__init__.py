"""The cities' part of the campaign: quote cards, personal stories and statements, their cards and public page."""
from flask import Blueprint

bp = Blueprint("campaign", __name__, url_prefix="/campaign")


def init_app(app):
    from campaign import views  # noqa: F401  (registers the routes on bp)

    app.register_blueprint(bp)
    from campaign.models import FilePurpose, Kind, Status

    # Templates compare with members, never with strings (tests/test_templates_use_enums.py).
    app.jinja_env.globals.update(CampaignKind=Kind, CampaignStatus=Status, CampaignFilePurpose=FilePurpose)

    _register_navigation(app)


def _register_navigation(app) -> None:
    from flask_babel import lazy_gettext as _l

    from accounts.models import Role
    from core import navigation

    navigation.register(app, "campaign.index", _l("Campaign"), roles=(Role.SECRETARIAT, Role.COORDINATOR), order=50)


@bp.app_template_filter("campaign_kind")
def campaign_kind(value: str) -> str:
    from campaign.models import Kind

    return Kind(value).title


@bp.app_template_filter("campaign_status")
def campaign_status(value: str) -> str:
    from campaign.models import Status

    return Status(value).title


@bp.app_template_global("missing_label")
def missing_label(code: str) -> str:
    from campaign.messages import MISSING

    return str(MISSING[code])
