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
