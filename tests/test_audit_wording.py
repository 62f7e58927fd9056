"""The audit trail shows the words packages stored as English text in the reader's language; core knows none of
them, the packages register them at init_app (core.audit_wording.register_stored_words)."""
from flask_babel import force_locale

from core.audit_wording import detail_value, register_stored_words


def test_a_category_title_stored_in_english_is_shown_in_french(app):
    with app.test_request_context(), force_locale("fr"):
        assert str(detail_value("Ages 11–18 · Poem")) == "De 11 à 18 ans · Poème"
        assert str(detail_value("category")) == "catégorie"  # a key's own word
        assert str(detail_value("Something else")) == "Something else"  # no words: shown as stored


def test_a_package_registers_its_own_words(app):
    register_stored_words(app, lambda: {"Quote card": "Carte citation"})
    with app.test_request_context():
        assert str(detail_value("Quote card")) == "Carte citation"
        assert str(detail_value("Ages 5–10 · Essay")) == "Ages 5–10 · Essay"  # competition's words still there
