"""The public results page: a gallery of the published winners and selected entries, in English and French.

Nothing shows before the secretariat publishes the results. The gallery, entry pages, images and the
feed show only entries with consent to publication; cards (the Open Graph images) only entries
with consent to social media; credits follow the consent to names. Anything else is a 404.
"""
from __future__ import annotations

import io
import threading
import time

from flask import Blueprint, abort, current_app, render_template, request, send_file

from competition.models import Edition
from core.hosts import public_base_url
from core.i18n import current_language
from core.permissions import public

from .exports.dataset import collect
from .exports.model import Item, Results
from .exports.wording import LANGUAGES, award_title, category_title, credit

bp = Blueprint("results", __name__, url_prefix="/results")
CACHE_SECONDS = 60  # the gathered results are reused this long; publishing or withdrawing is seen at once
CARD_CACHE = 64
_lock = threading.Lock()
_results: dict = {}  # (edition id, published at, base url) -> (time, Results)
_cards: dict = {}  # (reference, size, language, published at) -> PNG bytes


def _published(ranked: bool = False) -> tuple[Edition, Results]:
    """The published results (404 before publication); ``ranked`` adds the ranks, which only the feed shows."""
    edition = Edition.current()
    if edition is None or edition.results_published_at is None:
        abort(404)
    base = public_base_url()
    key = (edition.id, edition.results_published_at, base, ranked)
    with _lock:
        hit = _results.get(key)
        if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
            return edition, hit[1]
    results = collect(edition, base, ranked=ranked)
    with _lock:
        for old in [k for k in _results if k[:3] != key[:3]]:
            del _results[old]
        _results[key] = (time.monotonic(), results)
    return edition, results



def _item(results: Results, reference: str, *, social: bool = False) -> Item:
    items = results.for_social if social else results.for_publication
    item = next((i for i in items if i.reference == reference), None)
    if item is None:
        abort(404)
    return item


@bp.get("/")
@public
def gallery():
    edition = Edition.current()
    if edition is None or edition.results_published_at is None:
        return render_template("results/not_yet.html", edition=edition)
    edition, results = _published()
    language = current_language()
    sections = [(category_title(c.age_group, c.discipline, language),
                 [i for i in results.for_publication if i.category_id == c.id]) for c in results.categories]
    return render_template("results/gallery.html", edition=edition, sections=[s for s in sections if s[1]],
                           credit=credit, award_title=award_title, language=language)


@bp.get("/<reference>")
@public
def entry(reference: str):
    edition, results = _published()
    item = _item(results, reference)
    language = current_language()
    shareable = any(i.reference == reference for i in results.for_social)
    return render_template("results/entry.html", edition=edition, item=item, shareable=shareable,
                           credit=credit(item, language), award=award_title(item.award, language),
                           category=category_title(item.age_group, item.discipline, language),
                           base_url=results.base_url)


@bp.get("/<reference>/image")
@public
def image(reference: str):
    _edition, results = _published()
    picture = _item(results, reference).illustration
    if picture is None:
        abort(404)
    path = picture.web_path or picture.path
    mimetype = "image/jpeg" if picture.web_path else (picture.mime or "image/png")
    return send_file(path, mimetype=mimetype, max_age=3600)


@bp.get("/<reference>/card-<size>.png")
@public
def card(reference: str, size: str):
    edition, results = _published()
    item = _item(results, reference, social=True)
    from .exports.cards import SIZES, card_png

    language = request.args.get("lang", "en")
    if size not in SIZES or language not in LANGUAGES:
        abort(404)
    key = (reference, size, language, edition.results_published_at)
    with _lock:
        data = _cards.get(key)
    if data is None:
        data = card_png(item, size, language)
        with _lock:
            while len(_cards) >= CARD_CACHE:
                _cards.pop(next(iter(_cards)))
            _cards[key] = data
    return send_file(io.BytesIO(data), mimetype="image/png", max_age=3600)


@bp.get("/feed.json")
@public
def feed():
    from .exports.feed import build_feed

    _edition, results = _published(ranked=True)
    response = current_app.json.response(build_feed(results))
    response.headers["Access-Control-Allow-Origin"] = "*"  # the campaign page reads it from another site
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response


def init_app(app) -> None:
    app.register_blueprint(bp)
