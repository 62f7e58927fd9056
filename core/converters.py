"""URL converters, registered once for the whole app in ``create_app`` (before any route), so no view can forget.

``<int:...>`` only matches ids that a database column can hold: ``0`` to ``2**31 - 1``, PostgreSQL's ``integer``
(SQLite's is wider). A larger or negative number in a URL is a 404 from routing, before any view or query runs,
instead of an overflow error from the database driver (a 500). ``tests/test_access_matrix.py`` requests every
route with such ids. ``id_from`` does the same for ids in query strings and form fields.
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """Werkzeug's ``int`` converter with ``max`` defaulting to the largest id a database column holds."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,  # noqa: A002
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def id_from(text) -> int | None:
    """The id written in ``text`` (a query argument or form value), or None for anything a column cannot hold:
    not a plain decimal number, negative, or larger than ``MAX_ID``."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def init_app(app) -> None:
    """Call before any blueprint is registered: a rule looks its converters up when it is added."""
    app.url_map.converters["int"] = BoundedIntegerConverter
