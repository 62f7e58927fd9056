"""The public results page: a gallery of the published winners and selected entries, in English and French.

Nothing shows before the secretariat publishes the results. The gallery, entry pages, images and the
feed show only entries with consent to publication; cards (the Open Graph images) only entries
with consent to social media; credits follow the consent to names. Anything else is a 404.

Every request reads the results as the database holds them now (``public_results``), so a withdrawn
consent, a withdrawn or disqualified entry, or a new award shows on the very next request. Pages are
never stored by browsers or proxies; images, cards and the feed may be kept ``PUBLIC_MAX_AGE`` seconds,
then are revalidated with their ETag (a digest of their inputs) and answered 304 when unchanged.
"""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, render_template, request, send_file
from sqlalchemy import select

from competition.models import Edition
from core.db import db
from core.hosts import public_base_url
from core.i18n import current_language
from core.permissions import public
from judging.exports.model import Item, Results
from judging.exports.wording import LANGUAGES, award_title, category_title, credit
from judging.results import public as public_results
from judging.results.public import PUBLIC_MAX_AGE

bp = Blueprint("results", __name__, url_prefix="/results")


def public_edition() -> Edition | None:
    """The current edition once its results are published; until then the latest edition whose results are."""
    current = Edition.current()
    if current is not None and current.results_published_at is not None:
        return current
    latest = db.session.scalar(select(Edition).where(Edition.results_published_at.is_not(None))
                               .order_by(Edition.results_published_at.desc()).limit(1))
    return latest or current


def _published(ranked: bool = False) -> tuple[Edition, Results]:
    """The published results as they are now (404 before publication); ``ranked`` adds the ranks (the feed's)."""
    edition = public_edition()
    if edition is None or edition.results_published_at is None:
        abort(404)
    return edition, public_results.published(edition, public_base_url(), ranked=ranked)


def _item(results: Results, reference: str, *, social: bool = False) -> Item:
    items = results.for_social if social else results.for_publication
    item = next((i for i in items if i.reference == reference), None)
    if item is None:
        abort(404)
    return item


def _public(response, etag: str):
    """A public response that may be kept ``PUBLIC_MAX_AGE`` seconds, then revalidated with its ETag (304)."""
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = PUBLIC_MAX_AGE
    return response.make_conditional(request)


@bp.get("/")
@public
def gallery():
    edition = public_edition()
    if edition is None or edition.results_published_at is None:
        return render_template("judging/gallery/not_yet.html", edition=edition)
    edition, results = _published()
    language = current_language()
    sections = [(category_title(c.age_group, c.discipline, language),
                 [i for i in results.for_publication if i.category_id == c.id]) for c in results.categories]
    return render_template("judging/gallery/gallery.html", edition=edition, sections=[s for s in sections if s[1]],
                           credit=credit, award_title=award_title, language=language)


@bp.get("/<reference>")
@public
def entry(reference: str):
    edition, results = _published()
    item = _item(results, reference)
    language = current_language()
    shareable = any(i.reference == reference for i in results.for_social)
    return render_template("judging/gallery/entry.html", edition=edition, item=item, shareable=shareable,
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
    # Stored files are named by their SHA-256: the name is the content's ETag, the same in every process.
    response = send_file(path, mimetype=mimetype, etag=False, conditional=False)
    return _public(response, path.name)


@bp.get("/<reference>/card-<size>.png")
@public
def card(reference: str, size: str):
    from judging.exports.cards import SIZES

    _edition, results = _published()
    item = _item(results, reference, social=True)
    language = request.args.get("lang", "en")
    if size not in SIZES or language not in LANGUAGES:
        abort(404)
    etag, data = public_results.card(item, size, language)
    return _public(send_file(io.BytesIO(data), mimetype="image/png", etag=False, conditional=False), etag)


@bp.get("/feed.json")
@public
def feed():
    from judging.exports.feed import build_feed

    _edition, results = _published(ranked=True)
    response = current_app.json.response(build_feed(results))
    response.headers["Access-Control-Allow-Origin"] = "*"  # the campaign page reads it from another site
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = PUBLIC_MAX_AGE
    return response.make_conditional(request)


def init_app(app) -> None:
    app.register_blueprint(bp)
