"""Jury pages. The landing page explains what comes next."""
from __future__ import annotations

from flask import render_template

from accounts.models import Role
from core.permissions import roles_required

from . import bp


@bp.get("/")
@roles_required(Role.JUROR, Role.SECRETARIAT)
def index():
    return render_template("judging/index.html")
