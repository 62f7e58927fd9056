"""Command-line tools: ``create-user`` and ``demo``."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from accounts.models import Role, User
from accounts.passwords import verify_password
from competition.models import Category, City, Edition, School
from core.db import db
from tests.clients import TEST_PASSWORD

DEMO_PASSWORD = TEST_PASSWORD  # the cached hash in the --reset test is for this password


@pytest.fixture()
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args, **kwargs):
        result = runner.invoke(args=list(args), **kwargs)
        db.session.expire_all()
        return result

    return invoke


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def everything() -> dict[str, int]:
    return {m.__name__: count(m) for m in (User, City, School, Edition, Category)}


# create-user -------------------------------------------------------------------------------------

def password_file(tmp_path, content: str):
    path = tmp_path / "password.txt"
    path.write_bytes(content.encode())
    return str(path)


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""], ids=["lf", "crlf", "none"])
def test_create_user_reads_the_password_from_a_file(cli, tmp_path, ending):
    result = cli("create-user", "Nina.Juror@Example.org", "--role", "juror", "--role", "secretariat",
                 "--name", "Nina Juror", "--language", "fr", "--password-file",
                 password_file(tmp_path, TEST_PASSWORD + ending))

    assert result.exit_code == 0, result.output
    user = User.by_email("nina.juror@example.org")
    assert user.name == "Nina Juror"
    assert user.role_set == {Role.JUROR, Role.SECRETARIAT}
    assert user.language == "fr"
    assert user.email_confirmed_at is not None
    assert verify_password(user.password_hash, TEST_PASSWORD)


@pytest.mark.parametrize(
    "password,message",
    [("elevenchars", "Use at least 12 characters."),
     ("password1234", "too common"),
     ("nina.juror@example.org", "too common"),
     ("", "Use at least 12 characters.")],
)
def test_create_user_refuses_a_weak_password(cli, tmp_path, password, message):
    result = cli("create-user", "nina.juror@example.org", "--role", "juror", "--name", "Nina Juror",
                 "--password-file", password_file(tmp_path, password + "\n"))
    assert result.exit_code != 0
    assert message in result.output
    assert count(User) == 0


@pytest.mark.parametrize("email", ["teacher@example.org", "Teacher@Example.ORG", " teacher@example.org "])
def test_create_user_refuses_an_email_that_has_an_account(cli, make_user, tmp_path, email):
    make_user()
    result = cli("create-user", email, "--role", "secretariat", "--name", "Someone Else",
                 "--password-file", password_file(tmp_path, TEST_PASSWORD))
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert count(User) == 1
    assert User.by_email("teacher@example.org").role_set == {Role.TEACHER}


@pytest.mark.parametrize(
    "email,name,message",
    [("not-an-email", "Nina Juror", "in the correct format"),
     ("nina@", "Nina Juror", "in the correct format"),
     ("nina.juror@example.org", "x" * 121, "at most 120 characters"),
     ("nina.juror@example.org", "<script>alert(1)</script>", "no < or >"),
     ("nina.juror@example.org", "   ", "Enter your name.")],
    ids=["no-at-sign", "no-domain", "long-name", "html-name", "blank-name"],
)
def test_create_user_refuses_what_the_forms_refuse(cli, tmp_path, email, name, message):
    result = cli("create-user", email, "--role", "juror", "--name", name,
                 "--password-file", password_file(tmp_path, TEST_PASSWORD))
    assert result.exit_code != 0
    assert message in result.output
    assert count(User) == 0


def test_create_user_prompts_for_the_password_twice(cli):
    result = cli("create-user", "nina.juror@example.org", "--role", "juror", "--name", "Nina Juror",
                 input=f"{TEST_PASSWORD}\n{TEST_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert count(User) == 1


# demo --------------------------------------------------------------------------------------------

DEMO_COUNTS = {"User": 11, "City": 12, "School": 24, "Edition": 2, "Category": 12}


def assert_demo_loaded():
    """The current edition is open (deadline in 12 days, Paris time); last year's is judged and published."""
    from demo.build import demo_dates

    assert everything() == DEMO_COUNTS
    edition = Edition.current()
    assert edition.name == "More than migrants"
    days = demo_dates()  # computed from now, as the demo does: the test does not depend on today's date
    assert edition.deadline_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%d %H:%M") == \
        f"{days['deadline']:%Y-%m-%d} 23:59"
    assert edition.is_open() and edition.results_published_at is None
    past = db.session.scalar(select(Edition).where(Edition.is_current.is_(False)))
    assert not past.is_open() and past.results_published_at is not None
    assert past.results_on < days["today"] < edition.results_on
    assert {(c.age_group, c.discipline) for c in edition.categories} == {
        (age, discipline) for age in ("5-10", "11-18") for discipline in ("poem", "essay", "illustration")
    }
    roles = {u.email: u.role_set for u in db.session.scalars(select(User))}
    assert roles["secretariat@example.org"] == {Role.SECRETARIAT}
    assert sum(Role.TEACHER in r for r in roles.values()) == 2
    assert sum(Role.JUROR in r for r in roles.values()) == 7  # juror@, juror2@, four more who score, and Bruno Both
    assert roles["coordinator@example.org"] == {Role.COORDINATOR}
    assert roles["juror.coordinator@example.org"] == {Role.JUROR, Role.COORDINATOR}
    assert all(u.email_confirmed_at for u in db.session.scalars(select(User)))


def test_demo_loads_the_edition_cities_schools_and_accounts(cli):
    result = cli("demo", "--password", DEMO_PASSWORD, "--url", "http://127.0.0.1:5101")
    assert result.exit_code == 0, result.output
    assert "Log in at http://127.0.0.1:5101 " in result.output  # make run passes its own PORT
    assert_demo_loaded()
    user = User.by_email("teacher@example.org")
    assert verify_password(user.password_hash, DEMO_PASSWORD)


def test_demo_refuses_a_database_with_data(cli, make_user):
    make_user()
    result = cli("demo", "--password", DEMO_PASSWORD)
    assert result.exit_code != 0
    assert "--reset" in result.output
    assert everything() == {"User": 1, "City": 0, "School": 0, "Edition": 0, "Category": 0}


def test_demo_if_empty_does_nothing_on_a_database_with_data(cli, make_user):
    make_user(name="Kept Teacher")
    result = cli("demo", "--password", DEMO_PASSWORD, "--if-empty")
    assert result.exit_code == 0, result.output
    assert "not loaded again" in result.output
    assert everything() == {"User": 1, "City": 0, "School": 0, "Edition": 0, "Category": 0}
    assert User.by_email("teacher@example.org").name == "Kept Teacher"


def test_demo_reset_replaces_everything_with_the_demo(cli, make_user, monkeypatch):
    import accounts.operations
    from tests.clients import cached_hash

    monkeypatch.setattr(accounts.operations, "hash_password", cached_hash)  # real hashing is tested above
    make_user(email="someone@example.org")
    db.session.add(City(name="Atlantis", country_code="GR"))
    db.session.commit()

    result = cli("demo", "--password", DEMO_PASSWORD, "--reset")

    assert result.exit_code == 0, result.output
    assert_demo_loaded()
    assert User.by_email("someone@example.org") is None
    assert db.session.scalar(select(City).where(City.name == "Atlantis")) is None


@pytest.mark.parametrize("password", ["short", "password1234"])
def test_demo_refuses_a_weak_password(cli, password):
    result = cli("demo", "--password", password)
    assert result.exit_code != 0
    assert count(User) == 0


def test_make_run_prints_the_address_of_its_own_port():
    """`make run PORT=5101` serves and prints :5101, never the default 5000 (dry run: nothing is started)."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(["make", "-n", "run", "PORT=5101"], cwd=root, capture_output=True, text=True,
                         check=True).stdout
    assert "http://127.0.0.1:5101" in out and "--port 5101" in out and "5000" not in out
