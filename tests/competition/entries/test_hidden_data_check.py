"""The name check reads what cleaning removed: a pupil named in a photo's EXIF inside an uploaded PDF is a
"possible name in the file's hidden data" for the teacher (check your answers) and the secretariat (the
entry's page, the entries list and its filter), though jurors never get that data."""
from __future__ import annotations

import io

from accounts.models import Role
from core.db import db
from tests.upload_builders import fpdf_photo_pdf, tagged_jpeg


def upload_photo_pdf(post, entry, name="Amira K."):
    pdf = fpdf_photo_pdf(tagged_jpeg(name, trailer=False))
    response = post(f"/competition/entries/{entry.id}/work/upload", {"file": (io.BytesIO(pdf), "class-photo.pdf")},
                    content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    response = post(f"/competition/entries/{entry.id}/consent", {"consent_judging": "y"})
    assert response.status_code == 302
    db.session.expire_all()


def test_the_teacher_sees_the_hidden_data_warning_and_submits_without_confirming(client, post, draft):
    upload_photo_pdf(post, draft)
    assert "EXIF Artist: Amira K." in draft.files[0].hidden_text
    page = client.get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert "possible names in the files' hidden data" in page and "the hidden data of the file class-photo.pdf" in page
    assert "Artist: <mark>Amira K.</mark>" in page  # the matched words are marked in the excerpt
    assert 'name="confirm_names"' not in page  # the jury never gets this data: nothing for the teacher to confirm
    assert post(f"/competition/entries/{draft.id}/submit").status_code == 302
    db.session.expire_all()
    assert draft.status == "submitted" and not draft.blindness_flag
    assert draft.visible_hits == [] and draft.hidden_data_hits
    assert all(hit["source"] == "hidden data: class-photo.pdf" for hit in draft.hidden_data_hits)


def test_a_name_in_the_text_still_needs_confirming_beside_the_hidden_one(client, post, draft):
    upload_photo_pdf(post, draft)
    draft.title = "For Amira"
    db.session.commit()
    response = post(f"/competition/entries/{draft.id}/submit")
    db.session.expire_all()
    assert response.status_code == 302 and draft.status == "draft"
    post(f"/competition/entries/{draft.id}/submit", {"confirm_names": "y"})
    db.session.expire_all()
    assert draft.status == "submitted" and draft.blindness_flag
    assert [hit["source"] for hit in draft.visible_hits] == ["title"]
    assert draft.visible_hits[0]["marked"] == ["For ", "Amira", ""]  # stored, so the secretariat's page marks it too


def test_the_secretariat_sees_the_warning_on_the_entry_and_in_the_list_in_both_languages(app, post, draft, make_user,
                                                                                        sign_in):
    upload_photo_pdf(post, draft)
    post(f"/competition/entries/{draft.id}/submit")
    secretariat = sign_in(app.test_client(), make_user("sec@example.org", roles=(Role.SECRETARIAT,), name="Sam Sec"))
    page = secretariat.get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert "hidden data" in page and "EXIF Artist: <mark>Amira K.</mark>" in page
    listing = secretariat.get("/competition/entries/").get_data(as_text=True)
    assert "Names in hidden data" in listing
    filtered = secretariat.get("/competition/entries/?flag=hidden_names").get_data(as_text=True)
    assert draft.reference in filtered
    assert draft.reference not in secretariat.get("/competition/entries/?flag=names").get_data(as_text=True)

    french = sign_in(app.test_client(), make_user("sec.fr@example.org", roles=(Role.SECRETARIAT,), name="Sam Sec",
                                                  language="fr"))
    page = french.get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert "Nom possible dans les données cachées du fichier" in page or "noms possibles dans les données" in page
    assert "les données cachées du fichier class-photo.pdf" in page


def test_nobody_is_warned_about_a_clean_file(client, post, draft):
    upload_photo_pdf(post, draft, name="")
    assert "EXIF" not in draft.files[0].hidden_text or "Amira" not in draft.files[0].hidden_text
    page = client.get(f"/competition/entries/{draft.id}").get_data(as_text=True)
    assert "hidden data" not in page


def test_clean_again_rebuilds_pdfs_that_an_older_cleaner_made(app, post, draft):
    """A file uploaded before this cleaner: its cleaned copy still has the photo's EXIF, and no hidden text."""
    from core.files import get_storage

    upload_photo_pdf(post, draft)
    stored = draft.files[0]
    good_key, storage = stored.cleaned_key, get_storage()
    old_copy = storage.put(storage.open(stored.original_key).read().replace(b"%PDF-1.3", b"%PDF-1.4"))
    stored.cleaned_key, stored.hidden_text = old_copy, ""
    db.session.commit()
    assert not storage.exists(good_key)  # no row used it any more

    result = app.test_cli_runner().invoke(args=["clean-again"])
    assert result.exit_code == 0, result.output
    assert "Cleaned again: 1 PDF(s) changed, 0 unchanged, 0 could not be cleaned." in result.output
    db.session.expire_all()
    assert stored.cleaned_key == good_key and storage.exists(good_key)
    assert not storage.exists(old_copy)  # the leaky copy left with the commit
    assert "EXIF Artist: Amira K." in stored.hidden_text
    again = app.test_cli_runner().invoke(args=["clean-again"])
    assert "0 PDF(s) changed, 1 unchanged" in again.output
