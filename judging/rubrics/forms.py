"""The rubric form: one fieldset per criterion, each with its level bands. Built from the posted rows."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Field, FieldList, Form, FormField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError
from wtforms.widgets import TextInput

from core.forms import NoNul, PlainText, Present, strip_filter

MAX_CRITERIA = 20
MAX_BANDS = 8
TITLE_MAX = 120
STEPS = {"1": Decimal(1), "0.5": Decimal("0.5")}
NEW_CRITERION = [("title", ""), ("description", ""), ("weight", "1"), ("scale_min", "0"), ("scale_max", "10"),
                 ("step", "1"), ("required", "y")]


class NumberText(Field):
    """A number typed as text: whole numbers only, or decimals; anything else (NaN, "abc", 1.5 for whole) is None."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, whole=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.whole = whole

    def process_formdata(self, valuelist):
        self.raw = valuelist[0].strip().replace(",", ".") if valuelist else ""
        self.data = _parse(self.raw, self.whole)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else _plain(self.data)


def _parse(text: str, whole: bool) -> Decimal | None:
    if not re.fullmatch(r"-?\d{1,6}(\.\d{1,3})?", text or ""):
        return None  # refuses NaN, Infinity, exponents, words and empty text
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above already guarantees a number
        return None
    if whole and value != value.to_integral_value():
        return None
    return value


def _plain(value: Decimal) -> str:
    """0.300 → "0.3", 10.00 → "10"."""
    return format(Decimal(value).normalize(), "f")


class BandForm(Form):
    low = NumberText(_l("From"), whole=False)
    high = NumberText(_l("To"), whole=False)
    text = TextAreaField(_l("What this level means"), filters=[strip_filter],
                         validators=[Length(max=500, message=_l("Describe the level in at most 500 characters.")),
                                     NoNul()])

    def is_blank(self) -> bool:
        return not (self.text.data or (self.low.raw_data or [""])[0].strip() or (self.high.raw_data or [""])[0].strip())


class CriterionForm(Form):
    key = HiddenField()
    title = StringField(_l("Title"), filters=[strip_filter], validators=[
        DataRequired(message=_l("Enter a title for the criterion.")), PlainText(),
        Length(max=TITLE_MAX, message=_l("Enter a title of at most %(max)d characters.", max=TITLE_MAX))])
    description = TextAreaField(_l("Description (optional)"), description=_l("What jurors should look for."),
                                filters=[strip_filter], validators=[
                                    Length(max=2000, message=_l("Enter a description of at most 2,000 characters.")),
                                    NoNul()])
    weight = NumberText(_l("Weight"), description=_l("A number above 0, like 1 or 0.25. Shares are worked out from "
                                                     "the total of all weights."), validators=[
        Present(_l("Enter a weight above 0, like 1 or 0.25, with at most 3 decimals.")),
        NumberRange(min=Decimal("0.001"), max=100, message=_l("Enter a weight above 0 and at most 100."))])
    scale_min = NumberText(_l("Lowest score"), whole=True, validators=[
        Present(_l("Enter the lowest score as a whole number, like 0.")),
        NumberRange(min=0, max=100, message=_l("Enter a lowest score from 0 to 100."))])
    scale_max = NumberText(_l("Highest score"), whole=True, validators=[
        Present(_l("Enter the highest score as a whole number, like 10.")),
        NumberRange(min=1, max=100, message=_l("Enter a highest score from 1 to 100."))])
    step = RadioField(_l("Scores in"), choices=[("1", _l("Whole points")), ("0.5", _l("Half points"))],
                      validate_choice=False)
    required = BooleanField(_l("Jurors must give this score"))
    bands = FieldList(FormField(BandForm), max_entries=MAX_BANDS)

    def validate_step(self, field):
        if field.data not in STEPS:
            raise ValidationError(_("Choose whole points or half points."))

    def validate_scale_max(self, field):
        if field.data is not None and self.scale_min.data is not None and field.data <= self.scale_min.data:
            raise ValidationError(_("Enter a highest score above the lowest score."))

    def validate_bands(self, field):
        low, high = self.scale_min.data, self.scale_max.data
        used = []
        for number, band in enumerate((entry.form for entry in field), start=1):
            if band.is_blank():
                continue
            if band.low.data is None or band.high.data is None:
                band.low.errors.append(_("Level %(n)d: enter the lowest and highest score it covers, like 4 and 6.",
                                         n=number))
            elif band.low.data > band.high.data:
                band.high.errors.append(_("Level %(n)d: the second score must not be below the first.", n=number))
            elif low is not None and high is not None and (band.low.data < low or band.high.data > high):
                band.low.errors.append(_("Level %(n)d: use scores within the scale, from %(low)s to %(high)s.",
                                         n=number, low=_plain(low), high=_plain(high)))
            elif any(band.low.data <= b and a <= band.high.data for a, b in used):
                band.low.errors.append(_("Level %(n)d overlaps another level. Give each level its own scores.",
                                         n=number))
            elif not band.text.data:
                band.text.errors.append(_("Level %(n)d: describe what this level means.", n=number))
            else:
                used.append((band.low.data, band.high.data))
        if any(has_errors(entry) for entry in field):
            raise ValidationError("")

    def values(self) -> dict:
        bands = sorted((e.form for e in self.bands if not e.form.is_blank()), key=lambda b: b.low.data)
        return {
            "key": self.key.data or None, "title": self.title.data, "description": self.description.data or "",
            "weight": self.weight.data, "scale_min": self.scale_min.data, "scale_max": self.scale_max.data,
            "step": STEPS[self.step.data], "required": bool(self.required.data),
            "descriptors": [{"min": _number(b.low.data), "max": _number(b.high.data), "text": b.text.data}
                            for b in bands],
        }


def has_errors(field) -> bool:
    """Errors anywhere inside a field, a sub-form or a list (read from the fields, not a cached summary)."""
    if field.type == "FormField":
        return any(has_errors(sub) for sub in field)
    if field.type == "FieldList":
        return any(has_errors(sub) for sub in field) or any(isinstance(m, str) and m for m in field.errors)
    return bool(field.errors)


def _number(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


class RubricForm(FlaskForm):
    fingerprint = HiddenField()
    criteria = FieldList(FormField(CriterionForm), min_entries=1, max_entries=MAX_CRITERIA)

    def __init__(self, *args, allowed_keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_keys = set(allowed_keys)

    def validate_criteria(self, field):
        if not field.entries:
            raise ValidationError(_("A rubric needs at least one criterion."))
        titles, keys = set(), set()
        for number, entry in enumerate(field, start=1):
            row = entry.form
            title = (row.title.data or "").casefold()
            if title and title in titles:
                row.title.errors.append(_("Another criterion already has this title. Give each criterion its own "
                                          "title."))
            titles.add(title)
            key = row.key.data
            if key and (key in keys or key not in self.allowed_keys):
                row.title.errors.append(_("Criterion %(n)d is listed twice. Reload the page and try again.", n=number))
            keys.add(key)
        if any(has_errors(row) for row in field):
            raise ValidationError("")

    def problems(self) -> list[tuple[str | None, str]]:
        """(field id, message) for the error summary, each message naming its criterion."""
        found = [(None, str(m)) for m in self.form_errors] + [(None, str(m)) for m in self.csrf_token.errors]
        found += [(None, str(m)) for m in self.fingerprint.errors]
        found += [(None, str(m)) for m in self.criteria.errors if isinstance(m, str) and m]
        for number, row in enumerate(self.criteria, start=1):
            for sub in row:
                nested = [(b_field.id, m) for band in sub for b_field in band for m in b_field.errors] \
                    if sub.type == "FieldList" else [(sub.id, m) for m in sub.errors]
                found += [(fid, _("Criterion %(n)d: %(message)s", n=number, message=str(m)))
                          for fid, m in nested if m]
        return found

    def criterion_values(self) -> list[dict]:
        return [entry.form.values() for entry in self.criteria]

    def add_blank_bands(self) -> None:
        """Show one empty level under each criterion, for adding a level without script."""
        for entry in self.criteria:
            bands = entry.form.bands
            if len(bands.entries) < MAX_BANDS and (not bands.entries or not bands.entries[-1].form.is_blank()):
                bands.append_entry()


def rubric_form_data(rubric, fingerprint: str) -> dict:
    criteria = [{
        "key": c.key, "title": c.title, "description": c.description, "weight": Decimal(c.weight),
        "scale_min": Decimal(c.scale_min), "scale_max": Decimal(c.scale_max), "step": _plain(c.step),
        "required": c.required,
        "bands": [{"low": Decimal(str(d["min"])), "high": Decimal(str(d["max"])), "text": d["text"]}
                  for d in c.descriptors],
    } for c in rubric.criteria]
    return {"fingerprint": fingerprint, "criteria": criteria}


# Rows without script: "add", "remove", "move up" and "move down" rewrite the posted rows, nothing is saved.
_ROW = re.compile(r"^criteria-(\d+)-(.+)$")


def rearranged(formdata: MultiDict, action: str) -> tuple[MultiDict | None, str | None]:
    """The posted form after ``action`` ("add", "remove-2", "up-1", "down-0"), or None and a message."""
    rows: dict[int, list] = {}
    rest = MultiDict()
    for name, value in formdata.items(multi=True):
        if match := _ROW.match(name):
            rows.setdefault(int(match[1]), []).append((match[2], value))
        elif name != "action":
            rest.add(name, value)
    ordered = [rows[i] for i in sorted(rows)]
    verb, _sep, index = action.partition("-")
    position = int(index) if index.isdigit() else -1
    if verb == "add":
        if len(ordered) >= MAX_CRITERIA:
            return None, _("A rubric can have at most %(n)d criteria.", n=MAX_CRITERIA)
        ordered.append(list(NEW_CRITERION))
    elif verb in ("remove", "up", "down") and 0 <= position < len(ordered):
        if verb == "remove":
            if len(ordered) == 1:
                return None, _("A rubric needs at least one criterion. Add another one before removing this one.")
            del ordered[position]
        else:
            other = position - 1 if verb == "up" else position + 1
            if 0 <= other < len(ordered):
                ordered[position], ordered[other] = ordered[other], ordered[position]
    else:
        return None, None
    for number, row in enumerate(ordered):
        for name, value in row:
            rest.add(f"criteria-{number}-{name}", value)
    return rest, None
