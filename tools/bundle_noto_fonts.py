"""Rebuild static/fonts/noto/: the Noto fonts the cards and the publication draw other scripts with.

    .venv/bin/python tools/bundle_noto_fonts.py [--from FOLDER] [--out static/fonts/noto]

Without ``--from`` it fetches Debian's ``fonts-noto-core`` and ``fonts-noto-cjk`` with
``apt-get download`` and unpacks them with ``dpkg-deb -x`` (nothing is installed); with ``--from``
it reads a folder where they were unpacked already. The per-script fonts are copied as they are.
Noto Sans CJK (19 MB a weight) is cut down with fontTools' subsetter to the characters of three
national standards, which together cover everyday Chinese and Japanese writing:

- GB 2312 (6,763 simplified hanzi and its symbols),
- JIS X 0208 (6,355 kanji, kana and symbols),
- Big5 level 1 (5,401 common traditional hanzi),

plus kana, CJK punctuation and full-width forms, from the Simplified Chinese face of the
collection, Regular only. Left out: rare hanzi/kanji (CJK Extension A and beyond, Big5 level 2),
Hangul, the Japanese and Traditional Chinese glyph variants (``locl``: +1.9 MB) and the Bold weight.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
COPIED = [f"NotoSans{script}-{weight}.ttf" for script in ("Arabic", "Hebrew", "Devanagari", "Ethiopic")
          for weight in ("Regular", "Bold")]
CJK_SOURCE, CJK_OUT, CJK_FACE = "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Common-Regular.otf", 2  # 2: "SC"


def _decoded(encoding: str, leads: range, trails: list[int]) -> set[int]:
    found = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode(encoding)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return found


def cjk_characters() -> set[int]:
    """The code points kept in the CJK subset (about 11,200)."""
    euc = list(range(0xA1, 0xFF))
    chosen = _decoded("gb2312", range(0xA1, 0xF8), euc)  # symbols, then levels 1 and 2
    chosen |= _decoded("euc_jp", range(0xA1, 0xF5), euc)  # symbols and kana, then levels 1 and 2
    big5 = _decoded("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *euc])
    chosen |= {c for c in big5 if 0x4E00 <= c <= 0x9FFF}
    chosen |= set(range(0x3000, 0x3100)) | set(range(0x31F0, 0x3200)) | set(range(0xFF00, 0xFFF0))
    return chosen


def fetch_debian(folder: Path) -> Path:
    subprocess.run(["apt-get", "download", "fonts-noto-core", "fonts-noto-cjk"], cwd=folder, check=True)
    for deb in folder.glob("*.deb"):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(folder / "x")], check=True)
    return folder / "x"


def build(source: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    files = {path.name: path for path in source.rglob("*") if path.suffix in (".ttf", ".ttc", ".otf")}
    for name in COPIED:
        shutil.copyfile(files[name], out / name)
    options = subset.Options()
    options.font_number = CJK_FACE
    options.layout_features = ["kern"]
    options.name_IDs = ["*"]
    options.hinting = False
    font = subset.load_font(str(files[CJK_SOURCE]), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=cjk_characters())
    subsetter.subset(font)
    subset.save_font(font, str(out / CJK_OUT), options)
    for path in sorted(out.iterdir()):
        print(f"{path.stat().st_size / 1024:8.0f} KB  {path.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "static" / "fonts" / "noto")
    args = parser.parse_args()
    if args.source:
        build(args.source, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        build(fetch_debian(Path(tmp)), args.out)


if __name__ == "__main__":
    main()
