"""The jury: juror profiles and invitations, conflicts of interest, and the automatic conflicts of
multi-role users (reach.py)."""
