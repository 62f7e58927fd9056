"""The confirmation page shown before an action that cannot simply be taken back (templates/confirm.html).

A view builds a ``Confirmation`` saying what will happen, with counts, and renders it; the page's button
posts a ``ConfirmForm`` (CSRF only) to the action's own URL, which does the work as before.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template

from core.forms import ConfirmForm


@dataclass
class Confirmation:
    title: str
    lead: str
    button: str
    action: str  # the URL the button posts to
    back: str  # where "Cancel" goes
    facts: list[str] = field(default_factory=list)  # what will happen, with counts
    warning: str = ""
    hidden: dict[str, str] = field(default_factory=dict)  # extra fields the action expects (action=publish...)
    danger: bool = True


def render_confirmation(page: Confirmation):
    return render_template("confirm.html", page=page, form=ConfirmForm())
