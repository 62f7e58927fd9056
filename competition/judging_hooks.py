"""What competition asks of the jury, without importing it (docs/architecture.md: competition never imports judging).

Judging fills these hooks at its own init_app (``judging/competition_hooks.py``):

- ``judged(entry_id)``: for each way a juror has seen an entry (``Frozen``: an award, a score set, an assignment
  in an open or closed round), an SQL condition on ``entry_id``, a number or a column. The freeze
  (``competition.entries.freeze``) asks it whether a teacher may still change an entry.
- ``counts(entry)``: how far the jury got with an entry (assignments, submitted score sets, awards), for the
  disqualify page.
- ``anonymous_credit(entry, language)``: how the public outputs credit the work without consent to names ("a
  pupil from Lisbon"), for the page where a teacher withdraws that consent.
- ``entry_status_changed(entry)``: an entry was withdrawn, disqualified or reinstated, so it joins or leaves the
  rankings of the rounds it is assigned in: the jury queues them to be computed again (with the transaction).

There is no default: an app whose jury registered nothing could not tell judged work from the rest, so asking
raises instead of letting a judged entry be changed.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

EXTENSION = "competition.judging_hooks"


@dataclass(frozen=True)
class JudgingHooks:
    judged: Callable[[object], dict[str, object]]
    counts: Callable[[object], dict[str, int]]
    anonymous_credit: Callable[[object, str], str]
    entry_status_changed: Callable[[object], None] = lambda entry: None  # an app without rankings: nothing to do


def register(app, hooks: JudgingHooks) -> None:
    app.extensions[EXTENSION] = hooks


def judging_hooks() -> JudgingHooks:
    hooks = current_app.extensions.get(EXTENSION)
    if hooks is None:
        raise RuntimeError("The jury registered no hooks (judging.init_app), so competition cannot tell which "
                           "entries jurors have seen.")
    return hooks
