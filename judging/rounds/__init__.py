"""Rounds: opening, closing, progress, the final round's proposal, and the confirmation pages."""
