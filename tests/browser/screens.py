"""The two window sizes the browser journeys are drawn at."""
from __future__ import annotations

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
