"""Exports of an edition's results: spreadsheets, feed, social-media kit, publication and the bundle of all."""
