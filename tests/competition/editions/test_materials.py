"""Materials for teachers: links and PDFs, checked by content, served as safe downloads, in an order."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from competition.editions import operations as edition_operations
from competition.models import Material
from core.db import db
from tests.rows import audit_actions, count

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def new_url(edition) -> str:
    return f"/competition/admin/editions/{edition.id}/materials/new"


def add(post, edition, **fields):
    data = {"title": "Instructions", "description": "", "url": "", "language": ""}
    data.update(fields)
    return post(new_url(edition), data)


def test_adding_a_link(admin, post, edition):
    assert add(post, edition, url="https://www.coe.int/interculturalcities", language="fr").status_code == 302
    material = db.session.scalar(select(Material))
    assert (material.url, material.language, material.file_key, material.position) == (
        "https://www.coe.int/interculturalcities", "fr", None, 0)
    assert audit_actions() == ["material.created"]


def test_adding_a_pdf_stores_it_under_a_generated_name(app, admin, post, edition):
    response = add(post, edition, file=(io.BytesIO(PDF), "../../Guide été.pdf"))
    assert response.status_code == 302
    material = db.session.scalar(select(Material))
    assert material.file_name == "Guide été.pdf" and material.file_size == len(PDF)
    path = edition_operations.material_storage().path(material.file_key)
    assert path.read_bytes() == PDF and "Guide" not in str(path)


def test_the_download_is_an_attachment_that_cannot_run(app, admin, post, edition):
    add(post, edition, file=(io.BytesIO(PDF), "Guide été.pdf"))
    material = db.session.scalar(select(Material))
    response = app.test_client().get(f"/competition/materials/{material.id}/download")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
    assert disposition.isascii() and "\r" not in disposition and "\n" not in disposition
    assert "%C3%A9t%C3%A9" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("sandbox;")


def test_a_strange_stored_name_cannot_break_the_header(app, admin, post, edition):
    add(post, edition, file=(io.BytesIO(PDF), "guide.pdf"))
    material = db.session.scalar(select(Material))
    material.file_name = 'a"b\\c\r\nX-Evil: 1;.pdf'
    db.session.commit()
    disposition = app.test_client().get(f"/competition/materials/{material.id}/download").headers["Content-Disposition"]
    fallback = disposition.split('filename="')[1].split('"')[0]
    assert '"' not in fallback and "\\" not in fallback
    assert "\r" not in disposition and "\n" not in disposition and disposition.count(";") == 2


@pytest.mark.parametrize("fields,message", [
    ({"title": ""}, "Enter the title of the material."),
    ({"title": "x" * 300}, "Enter a name of at most 200 characters."),
    ({"title": "<script>alert(1)</script>"}, "no &lt; or &gt;"),
    ({"url": ""}, "Enter a web address or choose a PDF file, or both."),
    ({"url": "javascript:alert(1)"}, "Enter a web address that starts with https://"),
    ({"url": "JavaScript:alert(1)//https://example.org"}, "Enter a web address that starts with https://"),
    ({"url": "data:text/html,<script>alert(1)</script>"}, "Enter a web address that starts with https://"),
    ({"url": "https:///nohost"}, "Enter a web address that starts with https://"),
    ({"url": "ftp://example.org/guide.pdf"}, "Enter a web address that starts with https://"),
    ({"url": "https://example.org/a b"}, "Enter a web address that starts with https://"),
    ({"file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "guide.pdf")}, "The file is not a PDF."),
    ({"file": (io.BytesIO(b"PK\x03\x04 a zip"), "guide.pdf")}, "The file is not a PDF."),
    ({"language": "xx", "url": "https://example.org"}, "Choose the language from the list."),
])
def test_a_bad_material_is_explained_and_not_saved(app, admin, post, edition, fields, message):
    response = add(post, edition, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in html and message in html
    assert "<script>alert(1)" not in html
    assert count(Material) == 0 and audit_actions() == []
    assert not list(edition_operations.material_storage().keys())


def test_a_pdf_over_20_mb_is_refused(admin, post, edition):
    big = PDF + b"0" * (20 * 1024 * 1024)
    html = add(post, edition, file=(io.BytesIO(big), "big.pdf")).get_data(as_text=True)
    assert "The file is larger than 20 MB." in html
    assert count(Material) == 0


@pytest.fixture()
def three(edition):
    materials = [Material(edition=edition, title=title, url=f"https://example.org/{n}", position=n)
                 for n, title in enumerate(["Instructions", "Anti-rumours methodology", "Citizenship test"])]
    db.session.add_all(materials)
    db.session.commit()
    return materials


def titles(edition) -> list[str]:
    db.session.expire_all()
    return [m.title for m in Material.for_edition(edition.id)]


def test_reordering_materials(admin, post, edition, three):
    post(f"/competition/admin/materials/{three[2].id}/move/up")
    assert titles(edition) == ["Instructions", "Citizenship test", "Anti-rumours methodology"]
    post(f"/competition/admin/materials/{three[0].id}/move/down")
    assert titles(edition) == ["Citizenship test", "Instructions", "Anti-rumours methodology"]
    post(f"/competition/admin/materials/{three[2].id}/move/up")  # already first: nothing moves
    assert titles(edition) == ["Citizenship test", "Instructions", "Anti-rumours methodology"]
    assert audit_actions() == ["material.moved"] * 3
    assert post(f"/competition/admin/materials/{three[0].id}/move/sideways").status_code == 404


def test_removing_a_material_removes_its_file(admin, post, edition):
    add(post, edition, file=(io.BytesIO(PDF), "guide.pdf"))
    material = db.session.scalar(select(Material))
    path = edition_operations.material_storage().path(material.file_key)
    assert post(f"/competition/admin/materials/{material.id}/delete").status_code == 302
    assert count(Material) == 0 and not path.exists()
    assert audit_actions() == ["material.created", "material.deleted"]


def test_a_file_shared_by_two_materials_stays_until_both_are_gone(admin, post, edition):
    add(post, edition, title="English", file=(io.BytesIO(PDF), "guide.pdf"))
    add(post, edition, title="Français", file=(io.BytesIO(PDF), "guide-fr.pdf"))
    first, second = db.session.scalars(select(Material).order_by(Material.id)).all()
    path = edition_operations.material_storage().path(first.file_key)
    post(f"/competition/admin/materials/{first.id}/delete")
    assert path.exists()
    post(f"/competition/admin/materials/{second.id}/delete")
    assert not path.exists()


def test_editing_replaces_or_removes_the_file(admin, post, edition):
    add(post, edition, file=(io.BytesIO(PDF), "guide.pdf"))
    material = db.session.scalar(select(Material))
    old_path = edition_operations.material_storage().path(material.file_key)
    url = f"/competition/admin/materials/{material.id}"
    form = {"title": "Guide", "description": "", "url": "", "language": ""}
    assert post(url, {**form, "file": (io.BytesIO(PDF + b"v2"), "guide-v2.pdf")}).status_code == 302
    assert not old_path.exists()
    html = post(url, {**form, "remove_file": "y"}).get_data(as_text=True)
    assert "Enter a web address or choose a PDF file, or both." in html  # nothing would be left
    assert post(url, {**form, "remove_file": "y", "url": "https://example.org/guide"}).status_code == 302
    db.session.expire_all()
    material = db.session.get(Material, material.id)
    assert (material.file_key, material.file_name, material.url) == (None, None, "https://example.org/guide")


def test_materials_of_another_edition_are_hidden_from_the_public(app, admin, post, make_edition):
    old = make_edition("2025", current=False, deadline=datetime(2025, 11, 19, 22, 59, tzinfo=timezone.utc),
                       results_on=date(2025, 12, 6))
    add(post, old, file=(io.BytesIO(PDF), "old.pdf"))
    material = db.session.scalar(select(Material))
    assert app.test_client().get(f"/competition/materials/{material.id}/download").status_code == 404
    assert admin.get(f"/competition/materials/{material.id}/download").status_code == 200


def test_a_material_without_a_file_has_no_download(client, three):
    assert client.get(f"/competition/materials/{three[0].id}/download").status_code == 404
