"""The part of a photo shown in a card's picture area: pure arithmetic, property-tested.

The default centre (0.5, 0.4) sits a little above the middle, where a portrait's face usually is; the
secretariat moves the centre and zooms in (``Submission.crop_*``). The box always has the area's shape
and stays inside the photo: a centre too near an edge is moved inwards.
"""
from __future__ import annotations


def crop_box(width: int, height: int, area_width: int, area_height: int, x: float = 0.5, y: float = 0.4,
             zoom: float = 1.0) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) as fractions of the photo: the area's shape, as large as fits / ``zoom``."""
    if min(width, height, area_width, area_height) <= 0:
        return (0.0, 0.0, 1.0, 1.0)
    zoom = min(max(zoom, 1.0), 4.0)
    target = area_width / area_height
    if width / height > target:  # photo wider than the area: full height
        crop_h = height / zoom
        crop_w = crop_h * target
    else:
        crop_w = width / zoom
        crop_h = crop_w / target
    cx = min(max(x * width, crop_w / 2), width - crop_w / 2)
    cy = min(max(y * height, crop_h / 2), height - crop_h / 2)
    left, top = (cx - crop_w / 2) / width, (cy - crop_h / 2) / height
    right, bottom = (cx + crop_w / 2) / width, (cy + crop_h / 2) / height
    return (max(0.0, left), max(0.0, top), min(1.0, right), min(1.0, bottom))
