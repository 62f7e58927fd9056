"""The page that confirms publishing or unpublishing the results, with the counts of what the public will see.

The button posts to judging.publish_results (exports/views.py), which calls operations.publish or unpublish.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from accounts.models import Role
from core.confirm import Confirmation, render_confirmation
from core.hosts import public_base_url
from core.permissions import roles_required
from judging import bp
from judging.exports.dataset import collect
from judging.exports.views import _edition


@bp.get("/exports/<any(publish, unpublish):action>/confirm")
@roles_required(Role.SECRETARIAT)
def publish_confirm(action: str):
    edition = _edition()
    results = collect(edition, public_base_url(), ranked=False)
    shown = results.for_publication
    named = sum(1 for item in shown if item.consent_name)
    back = url_for("judging.exports")
    facts = [ngettext("%(num)d entry on the public page", "%(num)d entries on the public page", len(shown)),
             ngettext("%(num)d of them credited by name", "%(num)d of them credited by name", named),
             ngettext("%(num)d entry left out (no consent, withdrawn or a missing file)",
                      "%(num)d entries left out (no consent, withdrawn or a missing file)", len(results.left_out))]
    if action == "publish":
        page = Confirmation(
            title=_("Publish the results of %(name)s?", name=edition.name),
            lead=_("The campaign page and the public feed will show the winners and selected entries that have "
                   "consent to publication, in English and French. Anyone can copy what is public: taking it off "
                   "later does not take it back."),
            facts=facts, button=_("Publish the results"), action=url_for("judging.publish_results"), back=back,
            hidden={"action": "publish"})
    else:
        page = Confirmation(
            title=_("Take the results of %(name)s off the public page?", name=edition.name),
            lead=_("The gallery, the entry pages, their cards and the feed stop answering at once. You can "
                   "publish again later."),
            facts=facts[:2], button=_("Take the results off the public page"),
            action=url_for("judging.publish_results"), back=back, hidden={"action": "unpublish"})
    return render_confirmation(page)
