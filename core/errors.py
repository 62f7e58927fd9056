"""Styled, translated error pages."""
from __future__ import annotations

import logging

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("app.errors")

MESSAGES = {
    400: (_l("Something in that request was not right"), _l("Please go back, reload the page and try again.")),
    403: (_l("You cannot do that"), _l("Your account does not allow this action.")),
    404: (_l("Page not found"), _l("Check the address, or go back to the home page. If you followed a link, it may have expired.")),
    405: (_l("That action is not available here"), _l("Please go back and use the buttons on the page.")),
    413: (_l("That upload is too large"), None),
    429: (_l("Too many attempts"), _l("For your security, please wait a minute before trying again.")),
    500: (_l("Something went wrong on our side"), _l("Nothing you did caused this. Please try again in a few minutes; if it keeps happening, contact the secretariat.")),
}
CSRF_MESSAGE = (
    _l("Your form expired"),
    _l("For your security, forms expire when you log out or stay open for a long time. Go back, reload the page, and send the form again. What you typed may need to be entered again."),
)


def render_error(code: int, title=None, message=None, home: str | None = None):
    """The error page; ``home`` is where its button goes (the home page of this host by default)."""
    from flask import current_app

    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    if code == 413 and message is None:
        message = _("Each file can be at most %(mb)d MB. Make the file smaller (for a photo, a lower resolution is fine) and try again.", mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024))
    body = render_template("errors/error.html", code=code, title=title or default_title, message=message or default_message,
                           home=home)
    return body, code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_error(400, *CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        response = render_error(error.code if error.code in MESSAGES else 400)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(Exception)
    def _unexpected(error):
        log.exception("unhandled error")
        return render_error(500)
