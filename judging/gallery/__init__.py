"""The public gallery of published work (its own blueprint, registered at init_app)."""
