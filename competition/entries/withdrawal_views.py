"""What a teacher can do at any time, after the deadline and the awards too: withdraw consent, withdraw the entry.

Consent is never frozen (``entry_freeze``): these two pages work whatever the deadline and whether or
not jurors have seen the entry. Each shows what the change does before it is made; every public
output (results page, feed, cards, Open Graph tags, exports offered for download) follows on the next
request, because they are all built from the database state, never from a copy that would need clearing.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import Role
from competition import bp
from competition.entries import operations as ops
from competition.entries.forms import ConsentWithdrawalForm
from competition.entries.views import viewable_entry
from competition.models import Entry
from core.forms import ConfirmForm
from core.permissions import roles_required


def _own_entry(entry_id: int) -> Entry:
    entry = viewable_entry(entry_id)
    if entry.school_class.teacher_id != current_user.id:
        abort(404)
    return entry


def consent_choices(entry: Entry) -> list[tuple[str, str]]:
    """The consents that can still be withdrawn: those given, in a fixed order."""
    labels = {"publication": _("Publication: the campaign's publication, public results page and results feed"),
              "social": _("Social media: the campaign's posts and the work's shareable cards"),
              "name": _("Name: the pupils' first names and ages shown with the work")}
    return [(kind, labels[kind]) for kind in ops.WITHDRAWABLE_CONSENTS if getattr(entry, f"consent_{kind}")]


def anonymous_credit(entry: Entry, language: str) -> str:
    """How the work is credited without consent to names ("a pupil from Lisbon"), in ``language``: in the outputs'
    own words, which the jury registers (``competition.judging_hooks``)."""
    from competition.judging_hooks import judging_hooks

    return judging_hooks().anonymous_credit(entry, language)


@bp.route("/entries/<int:entry_id>/consent/withdraw", methods=["GET", "POST"])
@roles_required(Role.TEACHER)
def entry_consent_withdraw(entry_id: int):
    from core.i18n import current_language

    entry = _own_entry(entry_id)
    form = ConsentWithdrawalForm()
    form.withdraw.choices = consent_choices(entry)
    chosen: list[str] = []
    if form.validate_on_submit():
        chosen = [kind for kind in (form.withdraw.data or []) if kind in dict(form.withdraw.choices)]
        if not chosen:
            form.withdraw.errors.append(_("Tick the consent to withdraw."))
        elif form.confirm.data == "yes":
            ops.withdraw_consent(entry, set(chosen))
            flash(_("Consent withdrawn. The public results page, the results feed and the cards follow at once."),
                  "success")
            return redirect(url_for("competition.entry", entry_id=entry.id))
    status = 400 if form.errors else 200
    return render_template("competition/entries/consent_withdraw.html", entry=entry, form=form,
                           chosen=chosen if not form.errors else [], can_edit=entry.can_edit(current_user),
                           credit=anonymous_credit(entry, current_language())), status


@bp.route("/entries/<int:entry_id>/withdraw", methods=["GET", "POST"])
@roles_required(Role.TEACHER)
def withdraw_entry(entry_id: int):
    """Withdraw an entry, after saying what it does: at any time, like consent."""
    entry = _own_entry(entry_id)
    form = ConfirmForm()
    if entry.status not in ops.LIVE_STATUSES:
        flash(_("Only a draft or a submitted entry can be withdrawn."), "error")
        return redirect(url_for("competition.entry", entry_id=entry.id))
    if form.validate_on_submit():
        ops.withdraw(entry)
        flash(_("The entry \"%(title)s\" is withdrawn. It will not be judged.", title=entry.title), "success")
        return redirect(url_for("competition.index"))
    return render_template("competition/entries/withdraw.html", entry=entry, form=form)
