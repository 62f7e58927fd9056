"""The URLs a page points at, for the crawls: links, pictures, scripts, frames, GET forms and Open Graph images."""
from __future__ import annotations

from html.parser import HTMLParser


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag in ("img", "script", "source", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "form" and attrs.get("action") and (attrs.get("method") or "get").lower() == "get":
            self.urls.append(attrs["action"])
        if tag == "meta" and attrs.get("property") == "og:image" and attrs.get("content"):
            self.urls.append(attrs["content"])  # a public entry's card
