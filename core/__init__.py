"""Shared plumbing: configuration, database, mail, security, permissions, i18n."""
