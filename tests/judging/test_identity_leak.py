"""Blindness end to end: nothing a juror can reach names the pupils, teacher, school, class or city.

Each juror crawls every same-site page and file reachable from /judging/ (links, images, GET form actions,
every file variant), the autosave JSON and the error pages. Names are matched case-insensitively with accents
folded, in HTML, headers (Content-Disposition too), file bytes, image metadata and PDF metadata and text.
"""
from __future__ import annotations

import base64
import functools
import io
import re
import unicodedata
import zlib
from urllib.parse import urljoin, urlsplit

import pytest
from PIL import Image, PngImagePlugin

from core.db import db
from tests.clients import without_tokens
from tests.fixtures import GOOD, NAMES, token_of
from tests.image_bytes import without_pixels
from tests.links import Links

VARIANTS = ("web", "cleaned", "translation", "original", "thumb", "consent_form")
JUDGING_URL = re.compile(r"^/judging/((entries(/[A-Z0-9]{10}(/file/[a-z_]+|/autosave)?)?/?)|profile|conflicts)?$")
PUBLIC_COMPETITION = re.compile(r"^/competition/(about|materials/\d+/download)?$")


def fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).casefold()


def needles() -> list[str]:
    names = [first for first, _initial, _age in NAMES["pupils"]]
    names += [NAMES["teacher"], *NAMES["teacher"].split(), NAMES["school"], *NAMES["school"].split()[1:],
              NAMES["class"], NAMES["city"]]
    return sorted({fold(n) for n in names})


@functools.lru_cache(maxsize=8)
def _any_needle(names: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, names)) + r")(?![a-z0-9])")


def leaks_in_text(text: str) -> list[str]:
    folded, names = fold(text), tuple(needles())
    if not names or not _any_needle(names).search(folded):  # one pass for the usual case: no name at all
        return []
    return [n for n in names if re.search(r"(?<![a-z0-9])" + re.escape(n) + r"(?![a-z0-9])", folded)]


def leaks_in_bytes(data: bytes) -> list[str]:
    """Raw bytes: the longer names only (two-letter "6b" occurs by chance in any JPEG), in two encodings."""
    low = data.lower()
    found = []
    for name in needles():
        if len(name) < 4:
            continue
        for encoded in {name.encode("utf-8"), name.encode("utf-16-be"), name.encode("latin-1", "ignore")}:
            if encoded and encoded in low:
                found.append(name)
    return found


# The account page lists every IANA timezone ("Europe/Lisbon"): a fixed list, not data about an entry.
TIMEZONE_SELECT = re.compile(r'<option value="(?:Africa|America|Asia|Atlantic|Europe|Indian|Pacific)/[^"]+">[^<]*</option>')
# A juror's profile and conflict pages offer every member city and school to choose from: a fixed list of the
# whole network, not data about an entry. Only the option lists themselves are left out of the check.
MEMBER_LISTS = re.compile(r'<select[^>]*name="(?:[a-z]+-)?(?:city_id|city|school)"[^>]*>.*?</select>', re.S)


# A user with another role (coordinator, teacher) has that role's pages (entries, classes, the city's campaign
# submissions) in the site navigation: links the
# crawl neither follows nor counts, since they come from the user's roles, not from an entry (core/templating.py).
OTHER_ROLE_HOME = re.compile(r"^/(?:competition/(?:entries|classes)|campaign)/$")
OTHER_ROLE_LINKS = re.compile(r'<li><a href="/(?:competition/(?:entries|classes)|campaign)/"[^>]*>[^<]*</a></li>')


SESSION_COOKIE = re.compile(r"^session=([^;]*)")


def session_payload(token: str) -> str:
    """The JSON inside Flask's signed session cookie ('.' first when compressed), read without the key."""
    compressed, body = token.startswith("."), token.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode("utf-8")


def check_response(url: str, response, other_roles: bool = False) -> None:
    where = f"{url} ({response.status_code})"
    for header, value in response.headers.items():
        cookie = SESSION_COOKIE.match(value) if header.lower() == "set-cookie" else None
        if cookie:  # the signed token is opaque (it may spell "3A" by chance); what it holds is checked instead
            value = SESSION_COOKIE.sub("session=", value)
            assert not leaks_in_text(session_payload(cookie.group(1))), f"{where}: the session cookie names someone"
        assert not leaks_in_text(value), f"{where}: header {header} names {leaks_in_text(value)}"
    data = response.get_data()
    if response.mimetype in ("text/html", "application/json", "text/plain"):
        text = MEMBER_LISTS.sub("", TIMEZONE_SELECT.sub("", without_tokens(data.decode("utf-8"))))
        if other_roles:
            text = OTHER_ROLE_LINKS.sub("", text)
        assert not leaks_in_text(text), f"{where}: names {leaks_in_text(text)}"
        assert "/competition/entries" not in text and "/competition/classes" not in text, where
        return
    readable = without_pixels(data)  # an image's compressed pixels spell a short name now and then, by chance
    assert not leaks_in_bytes(readable), f"{where}: bytes name {leaks_in_bytes(readable)}"
    if response.mimetype.startswith("image/"):
        image = Image.open(io.BytesIO(data))
        assert not image.getexif(), f"{where}: EXIF {dict(image.getexif())}"
        for key, value in image.info.items():
            assert not leaks_in_text(str(value)), f"{where}: image info {key}"
    if response.mimetype == "application/pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        for key, value in (reader.metadata or {}).items():
            assert not leaks_in_text(str(value)), f"{where}: PDF metadata {key}"
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        assert not leaks_in_text(text), f"{where}: PDF text names {leaks_in_text(text)}"


def crawl(client, codes: set[str], other_roles: bool = False) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = ["/judging/"] + [f"/judging/entries/{c}/file/{v}" for c in codes for v in VARIANTS]
    while queue:
        url = queue.pop()
        path = urlsplit(url).path
        if path in seen or path.startswith("/static/"):
            continue
        response = client.get(url)
        seen[path] = response.status_code
        if other_roles and response.status_code == 302 and OTHER_ROLE_HOME.match(
                urlsplit(response.headers["Location"]).path):
            continue  # /competition/ sends a coordinator or teacher to their role's home page: not from an entry
        check_response(url, response, other_roles)
        if path.startswith("/judging"):
            assert JUDGING_URL.match(path), f"unexpected judging URL {path}"
        elif path.startswith("/competition"):
            assert PUBLIC_COMPETITION.match(path), f"{path} reached from the judging pages"
        if response.status_code in (301, 302, 303):
            location = urlsplit(response.headers["Location"])
            if location.netloc in ("", "localhost"):
                queue.append(location.path)
            continue
        if response.mimetype == "text/html":
            parser = Links()
            html = response.get_data(as_text=True)
            parser.feed(OTHER_ROLE_LINKS.sub("", html) if other_roles else html)
            for link in parser.urls:
                target = urlsplit(urljoin("http://localhost" + path, link))
                if target.netloc == "localhost" and target.path not in seen:
                    queue.append(target.path)
    return seen


@pytest.fixture()
def leak_data(make_entries, make_juror, round1, assign, file_entries, juror):
    """Poems and files of the identifying class, scored by two jurors who may see each other's scores."""
    second = make_juror("juror2@example.org", name="Julia Juror")
    poems = make_entries(3)
    for position, entry in enumerate(poems):
        assign(round1, entry, juror, position=position)
        assign(round1, entry, second, position=10 - position)
    for assignment in list(file_entries.values()):
        assign(round1, assignment.entry, second, position=20)
    round1.show_other_scores = True
    db.session.commit()
    return [juror, second]


def test_no_identity_reaches_any_juror(app, leak_data, sign_in):
    from sqlalchemy import select

    from competition.models import Entry
    from judging.models import Assignment

    entry_ids = set(db.session.scalars(select(Entry.id)))
    for user in leak_data:
        client = sign_in(app.test_client(), user)
        codes = set(db.session.scalars(select(Assignment.code).where(Assignment.juror_id == user.id)))
        # Score: one submitted, one draft, via the form and the autosave JSON (good and bad input).
        first, second, *_ = sorted(codes)
        token = token_of(client, f"/judging/entries/{first}")
        for code, action in ((first, "submit"), (second, "save")):
            response = client.post(f"/judging/entries/{code}", data={**GOOD, "action": action, "csrf_token": token,
                                                                       "overall_comment": "Lovely"})
            check_response(f"POST {code}", response)
        for data in (GOOD, {"score_relevance": "abc"}, {"score_relevance": "11"}):
            for code in codes:
                response = client.post(f"/judging/entries/{code}/autosave", data={**data, "csrf_token": token})
                check_response(f"autosave {code}", response)
        seen = crawl(client, codes)
        for code in codes:
            assert seen[f"/judging/entries/{code}"] == 200
        assert any(status == 200 for path, status in seen.items() if path.endswith("/file/web"))
        assert any(status == 200 for path, status in seen.items() if path.endswith("/file/cleaned"))
        # Error pages: a guessed code, another juror's code, a bad variant.
        for url in ("/judging/entries/ZZZZZZZZZZ", "/judging/entries/ZZZZZZZZZZ/file/web",
                    f"/judging/entries/{first}/file/original"):
            response = client.get(url)
            assert response.status_code == 404
            check_response(url, response)
        # Codes only: no URL carries an entry's database id.
        for path in seen:
            for part in path.split("/"):
                assert not (part.isdigit() and int(part) in entry_ids and path.startswith("/judging")), path


def test_the_needles_do_match_what_they_should():
    assert leaks_in_text("<p>escola basica CAMOES</p>")
    assert leaks_in_text("by Tina Márquez")
    assert leaks_in_text("class 6b")
    assert not leaks_in_text("disciplinary destination 6bis")
    assert leaks_in_bytes(b"xx\x00lisbon\x00")


def test_an_image_is_searched_everywhere_but_in_its_compressed_pixels():
    png, jpeg = io.BytesIO(), io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "lisbon")
    Image.new("RGB", (40, 30), "red").save(png, "PNG", pnginfo=info)
    Image.new("RGB", (40, 30), "red").save(jpeg, "JPEG", comment=b"lisbon")
    for data in (png.getvalue(), jpeg.getvalue()):
        assert leaks_in_bytes(without_pixels(data))  # in a text chunk, in a comment
        assert leaks_in_bytes(without_pixels(data.replace(b"lisbon", b"xxxxxx") + b"lisbon"))  # after the end
    idat = png.getvalue().index(b"IDAT") + 4
    in_pixels = png.getvalue().replace(b"lisbon", b"xxxxxx")
    in_pixels = in_pixels[:idat + 2] + b"lisbon" + in_pixels[idat + 8:]  # six bytes of the pixels, overwritten
    assert leaks_in_bytes(in_pixels) and not leaks_in_bytes(without_pixels(in_pixels))
    plain = jpeg.getvalue().replace(b"lisbon", b"xxxxxx")
    scan = plain.index(b"\xff\xda")
    scan += 2 + int.from_bytes(plain[scan + 2:scan + 4], "big")
    in_scan = plain[:scan + 4] + b"lisbon" + plain[scan + 10:]
    assert leaks_in_bytes(in_scan) and not leaks_in_bytes(without_pixels(in_scan))
