"""Entries: submission, the work's files, withdrawal, the freeze of judged work, derived image
copies, and the secretariat's list."""
