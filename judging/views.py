"""The jury's front door: jurors land on their entries, the secretariat on the judging dashboard."""
from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from accounts.models import Role
from core.permissions import roles_required
from judging import bp

LANDING = [(Role.SECRETARIAT, "judging.dashboard"), (Role.JUROR, "judging.my_entries")]


@bp.get("/")
@roles_required(Role.JUROR, Role.SECRETARIAT)
def index():
    for role, endpoint in LANDING:
        if current_user.has_role(role) and endpoint in current_app.view_functions:
            return redirect(url_for(endpoint))
    return render_template("judging/index.html")
# The pages of each part register themselves on bp when imported.
from judging.exports import views as _exports  # noqa: E402,F401
from judging.jury import conflict_views  # noqa: E402,F401
from judging.jury import views as _jury  # noqa: E402,F401
from judging.results import publish_views, tie_views  # noqa: E402,F401
from judging.results import views as _results  # noqa: E402,F401
from judging.rounds import confirm_views as _round_confirm  # noqa: E402,F401
from judging.rounds import final_round_views  # noqa: E402,F401
from judging.rounds import views as _rounds  # noqa: E402,F401
from judging.rubrics import views as _rubrics  # noqa: E402,F401
from judging.scoring import confirm_views as _scoring_confirm  # noqa: E402,F401
from judging.scoring import views as _scoring  # noqa: E402,F401
