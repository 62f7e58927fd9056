"""Competition asks the jury through hooks judging registers at init_app (competition/judging_hooks.py), so it never
imports judging; without them it refuses to guess whether a juror has seen an entry."""
from types import SimpleNamespace

import pytest

from competition import judging_hooks
from competition.entries.freeze import frozen_reason, judging_counts


def test_judging_registers_the_hooks(app):
    from judging import competition_hooks

    hooks = judging_hooks.judging_hooks()
    assert (hooks.judged, hooks.counts, hooks.anonymous_credit) == (
        competition_hooks.judged, competition_hooks.counts, competition_hooks.anonymous_credit)


def test_without_the_jurys_hooks_the_freeze_refuses_to_guess(app):
    del app.extensions[judging_hooks.EXTENSION]
    entry = SimpleNamespace(id=1)
    with pytest.raises(RuntimeError, match="registered no hooks"):
        frozen_reason(entry)
    with pytest.raises(RuntimeError, match="registered no hooks"):
        judging_counts(entry)


def test_a_hook_that_forgets_a_reason_is_refused(app):
    hooks = judging_hooks.judging_hooks()
    judging_hooks.register(app, judging_hooks.JudgingHooks(
        judged=lambda entry_id: {"awarded": hooks.judged(entry_id)["awarded"]},
        counts=hooks.counts, anonymous_credit=hooks.anonymous_credit))
    with pytest.raises(RuntimeError, match="one condition per reason"):
        frozen_reason(SimpleNamespace(id=1))
