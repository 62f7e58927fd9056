"""The competition's front door: each role lands on its own page."""
from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user

from accounts.models import Role
from competition import bp
from core.permissions import signed_in


@bp.get("/")
@signed_in
def index():
    if current_user.has_role(Role.SECRETARIAT, Role.COORDINATOR):
        return redirect(url_for("competition.all_entries"))
    if current_user.has_role(Role.TEACHER):
        return redirect(url_for("competition.classes"))
    return redirect(url_for("competition.public_edition"))


# The pages of each part register themselves on bp when imported.
from competition.classes import views as _classes  # noqa: E402,F401
from competition.editions import coordinator_views, public_views  # noqa: E402,F401
from competition.editions import views as _editions  # noqa: E402,F401
from competition.entries import secretariat_views, withdrawal_views, work_views  # noqa: E402,F401
from competition.entries import views as _entries  # noqa: E402,F401
