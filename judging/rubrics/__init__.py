"""Rubrics and their criteria: defaults, forms, operations and the secretariat's pages."""
