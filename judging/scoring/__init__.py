"""The juror's side: boundary.py is the one projection a juror's pages are built from, with its
guarantees written down; forms, operations and views for scoring."""
