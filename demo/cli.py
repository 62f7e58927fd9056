"""``flask demo``, and the table list shared by the demo and tests."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from core.db import db


def database_is_empty() -> bool:
    from accounts.models import User

    return db.session.scalar(select(func.count()).select_from(User)) == 0


def wipe_all_data() -> None:
    """Delete every row, children first, keeping the schema (and the migration stamp)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.flush()


@click.command("demo")
@click.option("--password", required=True, help="The password of every demo account (12+ characters).")
@click.option("--reset", is_flag=True, help="Delete all existing data first.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database already has data.")
@click.option("--url", default="", help="The address the app is served on, printed for logging in (make run passes it).")
@with_appcontext
def demo_command(password: str, reset: bool, if_empty: bool, url: str):
    """Load the demo: the campaign edition, member cities with schools, and demo accounts."""
    from accounts.passwords import password_problem
    from demo.build import DEMO_ACCOUNTS, load_demo

    problem = password_problem(password)
    if problem:
        raise click.ClickException(str(problem))
    if not database_is_empty():
        if if_empty and not reset:
            click.echo("The database already has data; the demo was not loaded again.")
            return
        if not reset:
            raise click.ClickException("The database is not empty. Use --reset to replace everything with the demo.")
        wipe_all_data()
    load_demo(password)
    db.session.commit()
    where = f" at {url}" if url else ""
    click.echo(f"Demo loaded. Log in{where} with any of these accounts:")
    from demo.judging import JURORS

    for email, _name, roles in DEMO_ACCOUNTS:
        click.echo(f"  {email:<28} ({', '.join(r.value for r in roles)})")
    extra = [email for email, *_ in JURORS if email not in {a[0] for a in DEMO_ACCOUNTS}]
    click.echo(f"  {', '.join(extra)} (juror)")
    click.echo("  password: the one you passed with --password")


def init_app(app) -> None:
    app.cli.add_command(demo_command)
