"""The public page of the current edition, and the materials teachers download from it."""
from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import get_timezone, get_translations, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from competition import bp
from competition.models import AgeGroup, Discipline, Edition, Material
from core.db import utcnow
from core.files import send_stored
from core.i18n import language_name
from core.permissions import get_or_404, public

# gettext plural forms for the countdown, with the number left for the template (or the script) to fill in.
DAYS = ("%(num)d day", "%(num)d days")
HOURS = ("%(num)d hour", "%(num)d hours")
MINUTES = ("%(num)d minute", "%(num)d minutes")


def time_left(deadline: datetime, now: datetime) -> tuple[int, int, int] | None:
    """Whole days, hours and minutes until the deadline; None once it has passed."""
    seconds = int((deadline - now).total_seconds())
    if seconds < 0:
        return None
    days, rest = divmod(seconds, 86400)
    return days, rest // 3600, rest % 3600 // 60


def countdown_text(parts: tuple[int, int, int] | None) -> str:
    """ "5 days, 3 hours left", in the viewer's language, with its plurals."""
    if parts is None:
        return _("Submissions are closed")
    days, hours, minutes = parts
    if days:
        return _("%(days)s, %(hours)s left", days=ngettext(*DAYS, days), hours=ngettext(*HOURS, hours))
    if hours:
        return _("%(hours)s, %(minutes)s left", hours=ngettext(*HOURS, hours), minutes=ngettext(*MINUTES, minutes))
    return _("%(minutes)s left", minutes=ngettext(*MINUTES, minutes))


def countdown_script_texts() -> dict[str, str]:
    """The same sentences for static/js/countdown.js, as data attributes with {days}-style slots."""
    translations = get_translations()
    texts = {
        "closed": _("Submissions are closed"),
        "days-hours": _("%(days)s, %(hours)s left", days="{days}", hours="{hours}"),
        "hours-minutes": _("%(hours)s, %(minutes)s left", hours="{hours}", minutes="{minutes}"),
        "minutes": _("%(minutes)s left", minutes="{minutes}"),
    }
    for name, (singular, plural) in (("day", DAYS), ("hour", HOURS), ("minute", MINUTES)):
        for form, n in (("one", 1), ("other", 2)):
            texts[f"{name}-{form}"] = translations.ngettext(singular, plural, n).replace("%(num)d", "{n}")
    return texts


def _category_order(category) -> tuple[int, int]:
    return list(AgeGroup).index(AgeGroup(category.age_group)), list(Discipline).index(Discipline(category.discipline))


@bp.get("/about")
@public
def public_edition():
    edition = Edition.current()
    if edition is None:
        return render_template("competition/public/edition.html", edition=None)
    now = utcnow()
    return render_template(
        "competition/public/edition.html",
        edition=edition,
        now=now,
        countdown=countdown_text(time_left(edition.deadline_at, now)),
        countdown_texts=countdown_script_texts(),
        is_open=edition.is_open(now),
        categories=sorted((c for c in edition.categories if c.enabled), key=_category_order),
        accepted_languages=[language_name(code) for code in edition.language_list],
        materials=Material.for_edition(edition.id),
        viewer_timezone=str(get_timezone()),
    )


@bp.get("/materials/<int:material_id>/download")
@public
def material_download(material_id: int):
    material = get_or_404(Material, material_id, lambda m: m.can_view(current_user))
    response = send_stored(material.file_key, "application/pdf", material.file_name or "material.pdf",
                           storage_name="materials")  # from the folder or the bucket; 404 if missing
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.app_template_global()
def countdown_for(deadline: datetime) -> dict:
    """What a countdown needs: the server-rendered text (works without JavaScript) and the script's texts."""
    now = utcnow()
    return {"text": countdown_text(time_left(deadline, now)), "texts": countdown_script_texts(), "now": now,
            "deadline": deadline, "open": now <= deadline}
