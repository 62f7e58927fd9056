"""Numbers are shown the way the viewer's language writes them."""
import pytest
from flask_babel import force_locale

from core.templating import localnumber


@pytest.mark.parametrize("language,value,shown", [
    ("en", "6.8000", "6.8"), ("fr", "6.8000", "6,8"), ("fr", 10, "10"), ("en", "7.00", "7"), ("en", None, ""),
])
def test_scores_are_shown_in_the_viewers_language(app, language, value, shown):
    with app.test_request_context(), force_locale(language):
        assert localnumber(value) == shown


def test_templates_translate_in_the_language_forced_for_a_mail_and_back(app):
    """core/i18n.py keeps the request's translations on ``g``: a string rendered under ``force_locale`` (a mail in
    the recipient's language) is still in that language, and the page's own strings in the reader's afterwards."""
    from flask import render_template_string
    from flask_babel import refresh

    template = "{{ _('Log out') }}"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(template) == "Log out"
        with force_locale("fr"):
            assert render_template_string(template) == "Se déconnecter"
        assert render_template_string(template) == "Log out"
        from flask import session
        session["lang"] = "fr"
        refresh()  # a language chosen in the request
        assert render_template_string(template) == "Se déconnecter"
