"""Turning scores into rankings: pure algorithms (no Flask, no SQLAlchemy), with property tests in
tests/judging_algorithms/. methods.py is the entry point; model.py the bias-shrinkage model."""
