"""Server-rendered SVG charts for the calibration page: plain strings, no script, no inline style.

Each chart is an ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``; every bar or
dot has a ``<title>`` (a tooltip and a name for screen readers). Colours are SVG presentation
attributes, so the page's Content-Security-Policy (no inline style) is respected. The page shows
the same figures in a table beside each chart.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

INK = "#1b1f24"
MUTED = "#4a5360"
LINE = "#c9c4bb"
BAR = "#1d4f91"
DOT = "#7a1f5c"
MARK = "#b35900"


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x, y, label, anchor="middle", size=12, fill=MUTED) -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">'
            f"{escape(label)}</text>")


def _open(uid: str, width: int, height: int, title: str, desc: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
            f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{uid}-t {uid}-d" '
            f'font-family="system-ui, sans-serif"><title id="{uid}-t">{escape(title)}</title>'
            f'<desc id="{uid}-d">{escape(desc)}</desc>')


@dataclass
class Bin:
    lo: float
    hi: float
    count: int


def bins(values, lo: float = 0.0, hi: float = 10.0, width: float = 1.0) -> list[Bin]:
    """Counts per interval [lo, lo + width), the last one closed."""
    n = max(1, math.ceil((hi - lo) / width))
    out = [Bin(lo + k * width, min(hi, lo + (k + 1) * width), 0) for k in range(n)]
    for v in values:
        k = min(n - 1, max(0, int((v - lo) // width)))
        out[k].count += 1
    return out


def histogram(uid: str, counts: list[Bin], title: str, desc: str, bar_label: str, axis_label: str) -> Markup:
    """Vertical bars. ``bar_label`` is a message with ``%(lo)s``, ``%(hi)s`` and ``%(n)d``."""
    w, h, left, bottom, top = 560, 240, 40, 44, 14
    plot_w, plot_h = w - left - 10, h - bottom - top
    peak = max([b.count for b in counts] + [1])
    step = plot_w / max(1, len(counts))
    parts = [_open(uid, w, h, title, desc)]
    for k in range(5):  # horizontal grid with counts
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{w - 10}" y1="{_n(y)}" y2="{_n(y)}" stroke="{LINE}" stroke-width="1"/>')
        parts.append(_text(left - 6, y + 4, _n(peak * k / 4), anchor="end", size=11))
    for i, b in enumerate(counts):
        bh = plot_h * b.count / peak
        x = left + i * step
        label = bar_label % {"lo": _n(b.lo), "hi": _n(b.hi), "n": b.count}
        parts.append(f'<rect x="{_n(x + 2)}" y="{_n(top + plot_h - bh)}" width="{_n(step - 4)}" height="{_n(bh)}" '
                     f'fill="{BAR}"><title>{escape(label)}</title></rect>')
        parts.append(_text(x, top + plot_h + 16, _n(b.lo), size=11))
    parts.append(_text(left + plot_w, top + plot_h + 16, _n(counts[-1].hi) if counts else "", size=11))
    parts.append(_text(left + plot_w / 2, h - 6, axis_label, size=12, fill=INK))
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass
class Dot:
    label: str
    mean: float
    sd: float
    note: str  # the <title> of the row


def dot_plot(uid: str, dots: list[Dot], reference: float | None, title: str, desc: str, axis_label: str,
             reference_label: str, lo: float = 0.0, hi: float = 10.0) -> Markup:
    """One row per juror: a dot at the mean and a bar for ± one standard deviation; a line at ``reference``."""
    row, left, right, top, bottom = 26, 150, 16, 10, 40
    w = 560
    h = top + bottom + row * max(1, len(dots))
    plot_w = w - left - right

    def x(v: float) -> float:
        return left + plot_w * (min(hi, max(lo, v)) - lo) / (hi - lo)

    parts = [_open(uid, w, h, title, desc)]
    for k in range(int(lo), int(hi) + 1, 2):
        parts.append(f'<line x1="{_n(x(k))}" x2="{_n(x(k))}" y1="{top}" y2="{h - bottom + 4}" stroke="{LINE}" stroke-width="1"/>')
        parts.append(_text(x(k), h - bottom + 18, str(k), size=11))
    if reference is not None:
        parts.append(f'<line x1="{_n(x(reference))}" x2="{_n(x(reference))}" y1="{top}" y2="{h - bottom + 4}" '
                     f'stroke="{MARK}" stroke-width="2" stroke-dasharray="5 3"><title>{escape(reference_label)}</title></line>')
    for i, d in enumerate(dots):
        y = top + row * i + row / 2
        name = d.label if len(d.label) <= 20 else d.label[:19] + "…"
        parts.append(f'<g><title>{escape(d.note)}</title>')
        parts.append(_text(left - 8, y + 4, name, anchor="end", size=12, fill=INK))
        parts.append(f'<line x1="{_n(x(d.mean - d.sd))}" x2="{_n(x(d.mean + d.sd))}" y1="{_n(y)}" y2="{_n(y)}" '
                     f'stroke="{DOT}" stroke-width="3" stroke-linecap="round"/>')
        parts.append(f'<circle cx="{_n(x(d.mean))}" cy="{_n(y)}" r="6" fill="{DOT}" stroke="#ffffff" stroke-width="2"/></g>')
    parts.append(_text(left + plot_w / 2, h - 6, axis_label, size=12, fill=INK))
    parts.append("</svg>")
    return Markup("".join(parts))
