"""Write the exports of one ``Results`` into a folder, and zip them: shared by the CLI and the background jobs.

Every output is written to a temporary name and renamed into place, so a crash never leaves a
half-written file under its final name. ``progress(done, total, step)`` is called as work advances.
"""
from __future__ import annotations

import csv
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from judging.exports.model import Item, Results
from judging.exports.wording import LANGUAGES, output_title, reason_text

Progress = Callable[[int, int, str], None]
KINDS = ("results", "social", "publication", "bundle")
FILES_FOLDER = "files"


class NothingToExport(Exception):
    """The edition has no decided winners yet: the caller shows a message, nothing is written."""


def _noop(done: int, total: int, step: str) -> None:
    pass


def steps(kind: str, results: Results) -> int:
    """How many progress steps an export takes, for the progress bar."""
    social = len(results.for_social) * (3 + 1) + 2
    publication = len(results.for_publication) * len(LANGUAGES) + len(LANGUAGES)
    files = sum(len(i.work_files) for i in _published(results))
    return {"results": 3, "social": social, "publication": publication,
            "bundle": 3 + social + publication + files + 2}[kind]


def export(kind: str, results: Results, out_dir: Path, *, language: str = "en",
           progress: Progress | None = None) -> list[Path]:
    """Write one kind of export under ``out_dir``; return the files written."""
    if kind not in KINDS:
        raise ValueError(kind)
    if kind != "results" and not results.has_winners:
        raise NothingToExport()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counter = _Counter(steps(kind, results), progress or _noop)
    written: list[Path] = []
    if kind in ("results", "bundle"):
        written += write_results(results, out_dir / "results", language, counter)
    if kind in ("social", "bundle"):
        written += write_social(results, out_dir / "social", language, counter)
    if kind in ("publication", "bundle"):
        written += write_publication(results, out_dir / "publication", counter)
    if kind == "bundle":
        written += write_files(results, out_dir / FILES_FOLDER, counter)
        written.append(write_left_out(results, out_dir / "left-out.csv", language))
        counter.tick("left out")
    return written


def write_results(results: Results, folder: Path, language: str, counter) -> list[Path]:
    from judging.exports.feed import write_feed
    from judging.exports.spreadsheets import write_csv, write_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    xlsx = _atomic(folder / "results.xlsx", "wb", lambda f: write_xlsx(results, f, language=language))
    counter.tick("results.xlsx")
    table = _atomic(folder / "results.csv", "w", lambda f: write_csv(results, f, language=language),
                    encoding="utf-8-sig", newline="")
    counter.tick("results.csv")
    feed = _atomic(folder / "results.json", "w", lambda f: write_feed(results, f), encoding="utf-8")
    counter.tick("results.json")
    return [xlsx, table, feed]


def write_social(results: Results, folder: Path, language: str, counter) -> list[Path]:
    from judging.exports.captions import caption_name, captions
    from judging.exports.cards import SIZES, card_name, card_png
    from judging.exports.schedule import plan, write_schedule_csv, write_schedule_ics

    cards, texts = folder / "cards", folder / "captions"
    cards.mkdir(parents=True, exist_ok=True)
    texts.mkdir(parents=True, exist_ok=True)
    written = []
    for item in results.for_social:
        for size in SIZES:
            data = card_png(item, size, language)
            written.append(_atomic(cards / card_name(item, size), "wb", lambda f, d=data: f.write(d)))
            counter.tick(f"card {item.reference} {size}")
        for lang, text in captions(item, results.base_url).items():
            written.append(_atomic(texts / caption_name(item, lang), "w", lambda f, t=text: f.write(t + "\n"),
                                   encoding="utf-8"))
        counter.tick(f"captions {item.reference}")
    # The week of posts starts on the edition's results day (6 December in the campaign).
    posts = plan(results.for_social, start=results.results_on) if results.results_on else plan(results.for_social)
    written.append(_atomic(folder / "schedule.csv", "w", lambda f: write_schedule_csv(posts, f, language=language),
                           encoding="utf-8-sig", newline=""))
    counter.tick("schedule.csv")
    written.append(_atomic(folder / "schedule.ics", "wb",
                           lambda f: write_schedule_ics(posts, f, f"{results.edition_name} — social media",
                                                        stamp=results.generated_at, base_url=results.base_url,
                                                        language=language)))
    counter.tick("schedule.ics")
    return written


def write_publication(results: Results, folder: Path, counter) -> list[Path]:
    from judging.exports.publication import build_publication

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGUAGES:
        start = counter.done

        def progress(done, total, step, start=start):
            counter.to(start + done, f"publication {lang}: {step}")

        written.append(_atomic(folder / f"publication-{lang}.pdf", "wb",
                               lambda f, lang=lang, progress=progress: build_publication(
                                   results, f, language=lang, progress=progress)))
        counter.to(start + len(results.for_publication) + 1, f"publication-{lang}.pdf")
    return written


def write_files(results: Results, folder: Path, counter) -> list[Path]:
    """The cleaned work files of every published or posted entry, named by reference and title, never by pupil."""
    written = []
    for item in _published(results):
        for n, f in enumerate(item.work_files, start=1):
            if f.path is not None:
                target = folder / f"{item.slug}-{n}.{f.ext or f.kind}"
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(target.suffix + ".part")
                shutil.copyfile(f.path, tmp)
                os.replace(tmp, target)
                written.append(target)
            counter.tick(f"file {item.reference}")
    return written


def write_left_out(results: Results, path: Path, language: str) -> Path:
    """What was left out of which output, and why, in ``language`` (the header and every cell)."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from judging.exports.spreadsheets import neutralise

    def write(f):
        out = csv.writer(f, lineterminator="\r\n")
        with force_locale(language):
            out.writerow([neutralise(h) for h in (_("Reference"), _("Title"), _("Left out of"), _("Why"))])
            for lo in results.left_out:
                out.writerow([neutralise(v) for v in (lo.item.reference, lo.item.title, output_title(lo.output),
                                                      reason_text(lo.reason))])

    return _atomic(path, "w", write, encoding="utf-8-sig", newline="")


def zip_folder(folder: Path, target: Path, progress: Callable[[str], None] | None = None) -> Path:
    """Zip ``folder`` into ``target`` (written beside it and renamed when complete)."""
    tmp = target.with_name(target.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            stored = zipfile.ZIP_STORED if path.suffix in (".png", ".jpg", ".pdf", ".xlsx", ".zip") else None
            archive.write(path, path.relative_to(folder).as_posix(), compress_type=stored)
            if progress:
                progress(path.name)
    os.replace(tmp, target)
    return target


def _published(results: Results) -> list[Item]:
    """Entries that go out in some form: with publication or social-media consent."""
    return [i for i in results.selected if i.consent_publication or i.consent_social]


def _atomic(path: Path, mode: str, write: Callable, **open_kwargs) -> Path:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, mode, **open_kwargs) as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


class _Counter:
    def __init__(self, total: int, report: Progress):
        self.total, self.done, self.report = total, 0, report

    def tick(self, step: str) -> None:
        self.to(self.done + 1, step)

    def to(self, done: int, step: str) -> None:
        self.done = min(max(done, self.done), self.total)
        self.report(self.done, self.total, step)

