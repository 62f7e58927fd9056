"""The jury's front door: jurors land on their entries, the secretariat on the judging dashboard."""
from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from accounts.models import Role
from core.permissions import roles_required

from . import bp

LANDING = [(Role.SECRETARIAT, "judging.dashboard"), (Role.JUROR, "judging.my_entries")]


@bp.get("/")
@roles_required(Role.JUROR, Role.SECRETARIAT)
def index():
    for role, endpoint in LANDING:
        if current_user.has_role(role) and endpoint in current_app.view_functions:
            return redirect(url_for(endpoint))
    return render_template("judging/index.html")
from . import scoring_views  # noqa: E402,F401
from . import results_views  # noqa: E402,F401
from . import final_round_views  # noqa: E402,F401
from . import tie_views  # noqa: E402,F401
from . import conflict_views, round_views  # noqa: E402,F401
from . import jury_views, rubric_views  # noqa: E402,F401
from . import exports_views  # noqa: E402,F401
from . import publish_confirm_views, round_confirm_views, scoring_confirm_views  # noqa: E402,F401
