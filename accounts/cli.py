"""``flask --app app create-user EMAIL --role ROLE --name NAME``."""
from __future__ import annotations

import click
import wtforms
from flask.cli import with_appcontext
from werkzeug.datastructures import MultiDict

from accounts.models import Role, User
from accounts.operations import create_user
from accounts.passwords import password_problem
from core.db import db
from core.forms import email_field, name_field


class AccountDetails(wtforms.Form):
    """The same checks as the web forms, for details typed on the command line."""

    email = email_field()
    name = name_field()


@click.command("create-user")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role]), help="Repeat for several roles.")
@click.option("--name", required=True)
@click.option("--password-file", type=click.File("r"), help="Read the password from this file instead of a prompt.")
@click.option("--language", default="en", type=click.Choice(["en", "fr"]))
@with_appcontext
def create_user_command(email, roles, name, password_file, language):
    """Create a confirmed account with the given roles."""
    if password_file is not None:
        password = password_file.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    details = AccountDetails(MultiDict({"email": email, "name": name}))
    if not details.validate():
        problems = [f"{field}: {message}" for field, messages in details.errors.items() for message in messages]
        raise click.ClickException(" ".join(problems))
    email, name = details.email.data, details.name.data
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.ClickException(str(problem))
    if User.by_email(email) is not None:
        raise click.ClickException(f"An account with the email {email} already exists.")
    create_user(name, email, password, [Role(r) for r in roles], language=language)
    db.session.commit()
    click.echo(f"Created {email} with roles: {', '.join(roles)}")


def init_app(app) -> None:
    app.cli.add_command(create_user_command)
