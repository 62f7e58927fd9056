"""Teachers' pages. The landing page shows the current edition."""
from __future__ import annotations

from flask import render_template

from core.permissions import signed_in

from . import bp
from .models import Edition


@bp.get("/")
@signed_in
def index():
    return render_template("competition/index.html", edition=Edition.current())
