"""The competition's front door: each role lands on its own page."""
from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user

from accounts.models import Role
from core.permissions import signed_in

from . import bp


@bp.get("/")
@signed_in
def index():
    if current_user.has_role(Role.SECRETARIAT, Role.COORDINATOR):
        return redirect(url_for("competition.all_entries"))
    if current_user.has_role(Role.TEACHER):
        return redirect(url_for("competition.classes"))
    return redirect(url_for("competition.public_edition"))


from . import admin_views, class_views, coordinator_views, entry_views, entry_work_views, public_views, secretariat_views  # noqa: E402,F401
from . import entry_withdrawal_views, retention_views  # noqa: E402,F401
