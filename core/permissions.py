"""Access rules, declared on every view and checked in one place.

Roles are checked by the decorators here; objects are checked by methods on
the models (``entry.can_view(user)``). A view without a declared rule cannot
be reached: ``check_all_views_declared`` refuses to start such an app, and the
request hook answers 404 should one slip through.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

RULE_ATTR = "_access_rule"
EXEMPT_ENDPOINTS = {"static"}


def _declare(view, rule: str, roles: tuple = ()):
    setattr(view, RULE_ATTR, rule)
    view._access_roles = roles
    return view


def public(view):
    """Anyone, signed in or not."""
    return _declare(view, "public")


def signed_in(view):
    """Any signed-in user; anonymous visitors go to the login page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return _declare(wrapper, "signed_in")


def roles_required(*roles):
    """Users holding at least one of ``roles``; anyone else signed in gets 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(404)
            return view(*args, **kwargs)

        return _declare(wrapper, "roles", roles)

    return decorator


def get_or_404(model, ident, check=None, options=()):
    """Load one object (with loader ``options``) and apply its permission method; 404 on either failure."""
    from core.db import db

    obj = db.session.get(model, ident, options=options)
    if obj is None or (check is not None and not check(obj)):
        abort(404)
    return obj


def undeclared_views(app) -> list[str]:
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in EXEMPT_ENDPOINTS and not hasattr(view, RULE_ATTR)
    )


def check_all_views_declared(app) -> None:
    missing = undeclared_views(app)
    if missing:
        raise RuntimeError(f"views without an access rule: {', '.join(missing)}")


def init_app(app) -> None:
    @app.before_request
    def _deny_undeclared():
        view = app.view_functions.get(request.endpoint or "")
        if view is not None and request.endpoint not in EXEMPT_ENDPOINTS and not hasattr(view, RULE_ATTR):
            abort(404)
