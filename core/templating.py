"""Template helpers: dates in the viewer's timezone, numbers and languages, and the navigation (``core.navigation``).

Packages add what their own templates need at ``init_app`` (accounts: ``Role``; judging: ``criterion_title``)."""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import format_date, format_datetime
from flask_wtf.csrf import generate_csrf

from core.navigation import items as navigation_items
from core.navigation import navigation


def escape_lazy_strings(value):
    """Flask-Babel's lazy strings claim to be safe HTML (``__html__``); a lazy
    message with a user's text in a placeholder must still be escaped, so turn
    it into a plain string before Jinja's autoescape sees it."""
    from flask_babel.speaklater import LazyString

    return str(value) if isinstance(value, LazyString) else value


def catalogue_text(text: str) -> str:
    """Stored text (such as the default rubric, kept in English) through the translation catalogue.

    Returns a plain ``str`` so Jinja escapes it: ``_()`` in a template would mark it as safe HTML.
    """
    from flask_babel import gettext

    return gettext(text) if text else ""


def localnumber(value) -> str:
    """A score or weight in the viewer's language: 6.8 in English, 6,8 in French; no trailing zeros."""
    from decimal import Decimal

    from flask_babel import format_decimal

    if value is None:
        return ""
    return format_decimal(Decimal(str(value)).normalize(), format="#,##0.####")


def in_language(obj, field: str, language: str | None = None) -> str:
    """Content the secretariat wrote in two languages: ``<field>_fr`` for a French reader when it is filled
    in, else the English ``<field>`` (the fallback)."""
    from core.i18n import current_language

    language = language or current_language()
    if language != "en":
        translated = getattr(obj, f"{field}_{language}", "") or ""
        if translated.strip():
            return translated
    return getattr(obj, field) or ""


def localfixed(value, digits: int = 2, sign: bool = False) -> str:
    """A number with a fixed number of decimals in the viewer's language (0.83 in English, 0,83 in French);
    ``sign`` shows "+" before positive numbers (a juror's bias)."""
    from decimal import Decimal

    from flask_babel import format_decimal

    if value is None or value != value:  # None or NaN
        return "—"
    body = "#,##0" + ("." + "0" * digits if digits else "")
    pattern = f"+{body};-{body}" if sign else body
    return format_decimal(Decimal(str(value)), format=pattern)


def localdatetime(value, fmt="medium"):
    """Show a stored UTC datetime in the viewer's timezone and language."""
    return format_datetime(value, fmt) if value else ""


def localdate(value, fmt="long"):
    return format_date(value, fmt) if value else ""


def init_app(app) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.finalize = escape_lazy_strings
    app.jinja_env.filters["localdatetime"] = localdatetime
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["catalogue_text"] = catalogue_text
    app.jinja_env.globals["in_language"] = in_language
    app.jinja_env.globals["navigation_items"] = navigation_items  # navigation_items("account"): core.navigation
    from core import audit_wording

    app.jinja_env.globals.update(audit_action=audit_wording.action_title, audit_object=audit_wording.object_title,
                                 audit_detail=audit_wording.detail)
    app.jinja_env.filters["localnumber"] = localnumber
    app.jinja_env.filters["localfixed"] = localfixed

    @app.context_processor
    def _globals():
        from core.i18n import current_language

        return {
            "navigation": navigation(),
            "languages": current_app.config["LANGUAGES"],
            "current_language": current_language(),
            "current_path": request.full_path.rstrip("?") if has_request_context() else "/",
        }
