"""A page's form fields as a browser would send them, and the same with some changed (rubric and jury tests)."""
from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Inputs and text areas a browser would send from the page's form (selects: ``_OptionReader``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.in_form = self.done = False
        self.textarea = None
        self.buffer = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and a.get("method") == "post" and "lang-switch" not in (a.get("class") or "") \
                and not (a.get("action") or "").endswith("/logout"):
            self.in_form = True
        if not self.in_form or not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.buffer = a["name"], ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.textarea:
            self.buffer += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.buffer.removeprefix("\n")))
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


class _OptionReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.select = None
        self.chosen: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self.select = a.get("name")
            self.chosen.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            self.chosen[self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def form_fields(html: str) -> list[tuple[str, str]]:
    reader, options = _FormReader(), _OptionReader()
    reader.feed(html)
    options.feed(html)
    return reader.fields + [(name, value) for name, value in options.chosen.items() if name != "lang"]


def with_changes(fields: list[tuple[str, str]], changes: dict) -> list[tuple[str, str]]:
    """Replace single values (``None`` removes a field, e.g. an unticked box); keeps the order of the page."""
    out = [(k, changes.get(k, v)) for k, v in fields if changes.get(k, "") is not None]
    present = {k for k, _v in fields}
    out += [(k, v) for k, v in changes.items() if k not in present and v is not None]
    return out
