"""The edition form as a browser sends it (for the editions tests)."""
from __future__ import annotations


CATEGORY_KEYS = [f"{age}_{discipline}" for age in ("younger", "older")
                 for discipline in ("poem", "essay", "illustration")]


def edition_form(**overrides) -> dict:
    """A valid edition form, as a browser would send it; a value of None leaves the field out."""
    data = {
        "name": "More than migrants 2026", "theme": "What defines you?", "rules": "One entry per pupil.\nNo names.",
        "deadline_date": "2026-11-19", "deadline_time": "23:59", "deadline_timezone": "Europe/Paris",
        "results_on": "2026-12-06", "languages": ["en", "fr"],
    }
    for key in CATEGORY_KEYS:
        data.update({f"{key}_enabled": "y", f"{key}_limit": "3", f"{key}_pages": "4"})
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}
