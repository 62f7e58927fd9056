"""Forms of the results pages: the scoring method, the shortlist rule and awards."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, ValidationError

from core.converters import id_from
from core.forms import NoNul, strip_filter
from judging.models import AwardKind, ScoringMethod
from judging.results.service import METHODS, SCALE


class MethodForm(FlaskForm):
    method = SelectField(
        _l("Ranking method"), validate_choice=False,
        choices=lambda: [(m.value, m.title) for m in ScoringMethod],  # at render time: in the reader's language
        validators=[AnyOf(METHODS, message=_l("Choose a ranking method from the list."))],
        description=_l("Changing it changes the ranking of every category in this round. The change is recorded in the audit log."),
    )


class ShortlistForm(FlaskForm):
    rule = RadioField(
        _l("Which entries go to the final?"), default="top",
        choices=[("top", _l("The best entries of each category")),
                 ("threshold", _l("Every entry at or above a score"))],
        validators=[AnyOf(("top", "threshold"), message=_l("Choose how to pick the entries."))],
    )
    top_n = StringField(_l("Number of entries per category"), filters=[strip_filter],
                        description=_l("A whole number, 1 or more. Entries tied at the last place all go through."),
                        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    threshold = StringField(_l("Lowest score to go through"), filters=[strip_filter],
                            description=_l("From %(lo)s to %(hi)s, in the ranking method's score.",
                                           lo=int(SCALE[0]), hi=int(SCALE[1])),
                            render_kw={"inputmode": "decimal", "autocomplete": "off"})

    def validate_top_n(self, field):
        if self.rule.data != "top":
            field.data = None
            return
        try:
            field.data = int(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter the number of entries per category as a whole number, like 5.")) from None
        if not 1 <= field.data <= 10000:
            raise ValidationError(_l("Enter a number of entries from 1 to 10000."))

    def validate_threshold(self, field):
        if self.rule.data != "threshold":
            field.data = None
            return
        try:
            value = Decimal((field.data or "").replace(",", "."))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise ValidationError(_l("Enter the lowest score as a number, like 7.5."))
        if not SCALE[0] <= value <= SCALE[1]:
            raise ValidationError(_l("Enter a score from %(lo)s to %(hi)s.", lo=int(SCALE[0]), hi=int(SCALE[1])))
        field.data = float(value)


class AwardForm(FlaskForm):
    entry = SelectField(_l("Entry"), validate_choice=False, coerce=str,
                        description=_l("In the order of the ranking."))
    kind = SelectField(_l("Award"), validate_choice=False, choices=lambda: [(k.value, k.title) for k in AwardKind])
    note = TextAreaField(_l("Note (optional)"), filters=[strip_filter], render_kw={"rows": 2},
                         description=_l("For the secretariat, for example why a tie was decided this way."),
                         validators=[Length(max=1000, message=_l("Enter at most %(max)d characters.", max=1000)), NoNul()])
    reason = TextAreaField(_l("Reason for an exception"), filters=[strip_filter], render_kw={"rows": 2},
                           description=_l("Only for an award that breaks a rule, such as an entry that is not ranked "
                                          "in this round. Recorded in the audit log."),
                           validators=[Length(max=1000, message=_l("Enter at most %(max)d characters.", max=1000)),
                                       NoNul()])

    def entry_id(self) -> int | None:
        return id_from(self.entry.data)


def _whole_workload(form, field):
    from judging.rounds.final_round import MAX_WORKLOAD

    try:
        field.data = int((field.data or "").strip())
    except (TypeError, ValueError):
        raise ValidationError(_l("Enter the workload as a whole number of score sets, like 60.")) from None
    if not 1 <= field.data <= MAX_WORKLOAD:
        raise ValidationError(_l("Enter a workload from 1 to %(max)d score sets.", max=MAX_WORKLOAD))


class WorkloadForm(FlaskForm):
    """How many more score sets the final round may ask for (a GET shows the proposal; a POST creates the round)."""

    workload = StringField(_l("Workload of the final round"), filters=[strip_filter],
                           validators=[_whole_workload],
                           description=_l("The number of score sets the jurors can do in the final round, in this "
                                          "category. A quarter of round 1's is a good start."),
                           render_kw={"inputmode": "numeric", "autocomplete": "off"})


class ProposalLookupForm(WorkloadForm):
    class Meta:
        csrf = False  # a GET proposal changes nothing


class TieOrderForm(FlaskForm):
    """The places themselves are one select per place, built from the tie (``place-1``, ``place-2``...)."""

    reason = TextAreaField(_l("Reason for this order"), filters=[strip_filter], render_kw={"rows": 3},
                           description=_l("For example the jury's second reading. Recorded in the audit log."),
                           validators=[Length(max=1000, message=_l("Enter at most %(max)d characters.", max=1000)),
                                       NoNul()])
