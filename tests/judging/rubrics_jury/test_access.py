"""Who may open the rubric and jury pages: secretariat pages are 404 for others, anonymous visitors log in."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from accounts.models import Role
from tests.fixtures import category_of

SECRETARIAT_PAGES = ["/judging/rubrics", "/judging/rubrics/{category}", "/judging/jury", "/judging/jury/{juror}"]
JUROR_PAGES = ["/judging/profile"]
ROLES = [None, Role.TEACHER, Role.JUROR, Role.COORDINATOR, Role.SECRETARIAT]


@pytest.fixture()
def targets(edition, make_juror):
    return {"category": category_of(edition).id, "juror": make_juror("target@example.org").id}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: str(r or "anonymous"))
@pytest.mark.parametrize("page", SECRETARIAT_PAGES + JUROR_PAGES)
def test_access_to_rubric_and_jury_pages(client, make_user, sign_in, targets, role, page):
    path = page.format(**targets)
    if role is not None:
        sign_in(client, make_user(f"{role.value}@example.org", roles=(role,)))
    allowed = Role.SECRETARIAT if page in SECRETARIAT_PAGES else Role.JUROR
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if method == "post" and page in ("/judging/rubrics", "/judging/jury"):
            assert response.status_code == 405
        elif method == "post":
            assert response.status_code == 400  # no CSRF token: refused before anything else
        elif role is None:
            assert response.status_code == 302
            assert response.location == "/account/login?next=" + quote(path, safe="")
        else:
            assert response.status_code == (200 if role == allowed else 404), (role, path)


def test_every_rubric_and_jury_route_is_in_the_matrix(app):
    covered = {p.split("{")[0] for p in SECRETARIAT_PAGES + JUROR_PAGES}
    rules = {rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint in {"judging.rubrics", "judging.rubric_edit", "judging.jury", "judging.juror_edit",
                                  "judging.my_profile"}}
    assert len(rules) == 5
    assert all(any(rule.split("<")[0] == prefix for prefix in covered) for rule in rules), rules
