"""Site-wide pages: home, language switcher, health check."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from core.db import db
from core.permissions import public
from core.security import is_safe_next

bp = Blueprint("core", __name__)


@bp.get("/")
@public
def index():
    return render_template("core/index.html")


@bp.post("/language")
@public
def set_language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.language = lang
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("core.index"))


@bp.get("/healthz")
@public
def healthz():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = "error"
    from core.files import get_storage, uses_s3
    from core.storage_check import bucket_ok, storage_ok

    if uses_s3():
        checks["storage"] = "ok" if bucket_ok(get_storage()) else "error"
    else:
        checks["storage"] = "ok" if storage_ok(current_app.config["UPLOAD_FOLDER"]) else "error"
    healthy = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if healthy else "error", checks=checks), (200 if healthy else 503)


def init_app(app) -> None:
    app.register_blueprint(bp)
