"""The scoring form, built at runtime from a rubric: one score and one comment per criterion, plus an overall comment."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import ValidationError

MAX_COMMENT = 5000
# Plain decimal numbers only: no exponent, no NaN or infinity, a comma allowed as the decimal mark.
_NUMBER = re.compile(r"^-?\d{1,6}(?:[.,]\d{1,4})?$")


def plain(value: Decimal | None) -> str:
    """7.00 -> "7", 4.50 -> "4.5"; None -> ""."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


def parse_score(raw: str | None, criterion) -> Decimal | None:
    """Read one score as typed; None when left empty. Raises ValueError with a message saying how to fix it."""
    text = (raw or "").strip()
    if not text:
        return None
    title = _(criterion.title)
    low, high = plain(criterion.scale_min), plain(criterion.scale_max)
    if not _NUMBER.match(text):
        raise ValueError(_("Enter %(criterion)s as a number from %(min)s to %(max)s", criterion=title, min=low, max=high))
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern already refused it
        raise ValueError(_("Enter %(criterion)s as a number from %(min)s to %(max)s", criterion=title, min=low, max=high))
    if not value.is_finite() or value < criterion.scale_min or value > criterion.scale_max:
        raise ValueError(_("Enter %(criterion)s as a number from %(min)s to %(max)s", criterion=title, min=low, max=high))
    if (value - Decimal(criterion.scale_min)) % Decimal(criterion.step) != 0:
        if Decimal(criterion.step) == 1:
            raise ValueError(_("Enter %(criterion)s as a whole number, for example 7", criterion=title))
        raise ValueError(_("Enter %(criterion)s in steps of %(step)s, for example 4.5", criterion=title,
                           step=plain(criterion.step)))
    return value


def check_comment(form, field) -> None:
    text = field.data or ""
    if "\x00" in text or any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise ValidationError(_("Remove the invisible control characters from the comment, then save again"))
    if len(text) > MAX_COMMENT:
        raise ValidationError(_("Shorten the comment to %(max)d characters or fewer (it has %(n)d)", max=MAX_COMMENT,
                                n=len(text)))


class _ScoreCheck:
    def __init__(self, criterion):
        self.criterion = criterion

    def __call__(self, form, field) -> None:
        try:
            field.parsed = parse_score(field.data, self.criterion)
        except ValueError as exc:
            field.parsed = None
            raise ValidationError(str(exc)) from None


class ScoreForm(FlaskForm):
    overall_comment = TextAreaField(_l("Overall comment"), validators=[check_comment],
                                    description=_l("Optional. What the work does well, and what held it back."))

    criteria: tuple = ()  # set per rubric by score_form()

    def score_field(self, criterion):
        return self[f"score_{criterion.key}"]

    def comment_field(self, criterion):
        return self[f"comment_{criterion.key}"]

    def validate_for(self, submitting: bool) -> bool:
        valid = self.validate()
        if submitting:
            for criterion in self.criteria:
                field = self.score_field(criterion)
                if criterion.required and not field.errors and getattr(field, "parsed", None) is None:
                    field.errors = list(field.errors) + [
                        _("Enter a score for %(criterion)s before you submit", criterion=_(criterion.title))]
                    valid = False
        return valid

    def cleaned(self) -> dict:
        """{criterion key: (value, comment)} and the overall comment, once valid."""
        values = {c.key: (getattr(self.score_field(c), "parsed", None), self.comment_field(c).data or "")
                  for c in self.criteria}
        return {"values": values, "overall_comment": self.overall_comment.data or ""}

    def field_errors(self) -> dict:
        return {name: [str(m) for m in field.errors] for name, field in self._fields.items() if field.errors}


def score_form(rubric, score_set=None, **kwargs) -> ScoreForm:
    """A form class for this rubric's criteria, filled from the saved score set when there is one."""

    class RubricScoreForm(ScoreForm):
        pass

    criteria = list(rubric.criteria)
    RubricScoreForm.criteria = tuple(criteria)
    saved = {v.criterion_id: v for v in (score_set.values if score_set else [])}
    data = {"overall_comment": score_set.overall_comment if score_set else ""}
    for c in criteria:
        setattr(RubricScoreForm, f"score_{c.key}", StringField(_(c.title), validators=[_ScoreCheck(c)]))
        setattr(RubricScoreForm, f"comment_{c.key}", TextAreaField(
            _("Comment on %(criterion)s", criterion=_(c.title)), validators=[check_comment]))
        if c.id in saved:
            data[f"score_{c.key}"] = plain(saved[c.id].value)
            data[f"comment_{c.key}"] = saved[c.id].comment
    return RubricScoreForm(data=data, **kwargs)
