"""A name in a file's hidden data: the teacher uploads a PDF whose photo's EXIF names a pupil, sees the warning
on "check your answers" and submits without confirming (the jury never gets that data); the secretariat finds
the entry in the list by its tag and filter and reads the warning on its page. English and French."""
from __future__ import annotations

import re

from sqlalchemy import select

from core.db import db
from demo.files import drawing, text_pdf


def log_in(page, url, email, password):
    page.goto(url + "/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_the_hidden_data_warning_for_the_teacher_and_the_secretariat(server, demo, browser, page, check_a11y, shoot,
                                                                      tmp_path):
    from competition.models import Entry

    with server.app.app_context():
        draft = db.session.scalar(select(Entry).where(Entry.title == "Three languages"))
        draft_id, raccourcis = draft.id, db.session.scalar(select(Entry.id).where(Entry.title == "Les raccourcis"))

    log_in(page, server.url, "teacher@example.org", demo)
    page.goto(f"{server.url}/competition/entries/{draft_id}/work")
    scan = tmp_path / "poem-with-photo.pdf"
    photo = drawing(9, size=(640, 480), exif_gps=True, artist="Tiago S.")
    scan.write_bytes(text_pdf("Three languages", ["She speaks three languages", "and laughs in all of them."],
                              photo=photo))
    page.get_by_label("File").set_input_files(str(scan))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The file is uploaded and checked.").wait_for()
    warning = page.locator(".hidden-data-warning")
    assert "the hidden data of the file poem-with-photo.pdf" in warning.inner_text()
    assert "Artist: Tiago S." in warning.inner_text()
    assert page.get_by_label(re.compile("I have checked these")).count() == 0  # nothing to confirm
    check_a11y(page)
    shoot(page, "entry-hidden-data-teacher-en")
    page.get_by_role("button", name="Français").click()
    assert "données cachées du fichier poem-with-photo.pdf" in page.locator(".hidden-data-warning").inner_text()
    check_a11y(page)
    shoot(page, "entry-hidden-data-teacher-fr")
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Submit the entry").click()
    page.get_by_role("heading", name="Entry submitted").wait_for()

    context = browser.new_context(viewport=page.viewport_size, locale="en-GB")
    secretariat = context.new_page()
    log_in(secretariat, server.url, "secretariat@example.org", demo)
    secretariat.goto(f"{server.url}/competition/entries/?flag=hidden_names")
    rows = secretariat.locator("tbody tr")
    # This one, the demo essay whose photo names Sara, and the one whose PDF's Author is the teacher.
    titles = {rows.nth(i).locator("td a").first.inner_text() for i in range(rows.count())}
    assert titles == {"Three languages", "Les raccourcis", "More than one thing"}
    assert all("Names in hidden data" in rows.nth(i).inner_text() for i in range(rows.count()))
    check_a11y(secretariat)
    shoot(secretariat, "entries-hidden-data-secretariat-en")
    secretariat.goto(f"{server.url}/competition/entries/{raccourcis}")
    panel = secretariat.locator(".secretariat-panel .hidden-data-warning")
    assert "Artist: Sara H." in panel.inner_text()
    check_a11y(secretariat)
    shoot(secretariat, "entry-hidden-data-secretariat-en")
    secretariat.get_by_role("button", name="Français").click()
    assert "données cachées" in secretariat.locator(".secretariat-panel .hidden-data-warning").inner_text()
    check_a11y(secretariat)
    shoot(secretariat, "entry-hidden-data-secretariat-fr")
    secretariat.goto(f"{server.url}/competition/entries/?flag=hidden_names")
    assert "Noms dans les données cachées" in secretariat.locator("tbody").inner_text()
    shoot(secretariat, "entries-hidden-data-secretariat-fr")
    context.close()
