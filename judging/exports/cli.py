"""``flask --app app export results|social|publication|bundle --out DIR``: the exports from the command line."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from judging.exports import service


@click.command("export")
@click.argument("kind", type=click.Choice(service.KINDS))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (created if missing).")
@click.option("--language", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the spreadsheets' headers and of the cards.")
@click.option("--edition", "edition_id", type=int, help="Edition id (default: the current edition).")
@click.option("--base-url", default=None, help="Public address used in links (default: PUBLIC_BASE_URL).")
@with_appcontext
def export_command(kind: str, out_dir: Path, language: str, edition_id: int | None, base_url: str | None):
    """Export the results: spreadsheets and feed, social-media kit, publication, or a ZIP bundle of all."""
    from competition.models import Edition
    from core.db import db
    from judging.exports.dataset import collect
    from judging.exports.model import slugify

    edition = db.session.get(Edition, edition_id) if edition_id else Edition.current()
    if edition is None:
        raise click.ClickException("No such edition." if edition_id else "There is no current edition.")
    results = collect(edition, base_url if base_url is not None else current_app.config.get("PUBLIC_BASE_URL", ""))
    with click.progressbar(length=service.steps(kind, results), label=f"Exporting {kind}",
                           show_pos=True, file=sys.stderr) as bar:
        def progress(done: int, total: int, step: str) -> None:
            bar.update(done - bar.pos)

        try:
            if kind == "bundle":
                with tempfile.TemporaryDirectory(dir=out_dir if out_dir.exists() else None) as tmp:
                    service.export(kind, results, Path(tmp), language=language, progress=progress)
                    out_dir.mkdir(parents=True, exist_ok=True)
                    name = f"{slugify(edition.name) or 'edition'}-bundle-{results.generated_at:%Y-%m-%d}.zip"
                    written = [service.zip_folder(Path(tmp), out_dir / name)]
            else:
                written = service.export(kind, results, out_dir, language=language, progress=progress)
        except service.NothingToExport:
            with force_locale(language):
                raise click.ClickException(_("No winners are decided yet: give the awards on the results page "
                                             "first, then export.")) from None
    for lo in results.left_out:
        click.echo(f"left out of {lo.output}: {lo.item.reference} ({lo.reason})", err=True)
    click.echo(f"Wrote {len(written)} file(s) to {out_dir}")


def init_app(app) -> None:
    app.cli.add_command(export_command)
