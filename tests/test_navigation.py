"""The site navigation each role sees, drawn from what the packages register at init_app (core/navigation.py)."""
import re
from pathlib import Path

import pytest

from accounts.models import Role
from core import navigation

ANONYMOUS = ["/competition/about", "/results/"]
SIGNED_IN = "/account/settings"
EXPECTED = {
    Role.TEACHER: ["/competition/about", "/results/", "/competition/classes/", SIGNED_IN],
    Role.JUROR: ["/competition/about", "/results/", "/judging/", "/judging/profile", "/judging/conflicts", SIGNED_IN],
    Role.COORDINATOR: ["/competition/about", "/results/", "/competition/entries/", "/campaign/", SIGNED_IN],
    Role.SECRETARIAT: ["/competition/about", "/results/", "/competition/entries/", "/campaign/", "/judging/",
                       "/competition/admin/editions", "/competition/admin/cities", "/account/invitations",
                       "/competition/admin/audit", SIGNED_IN],
}


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<ul class="nav-list">(.*?)</ul>', html, re.DOTALL)
    assert nav, "no site navigation on the page"
    return re.findall(r'<a href="([^"]+)"', nav.group(1))


def test_a_visitor_sees_the_public_links(client):
    assert nav_links(client.get("/").get_data(as_text=True)) == ANONYMOUS


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_its_links_in_order(app, client, make_user, sign_in, role):
    sign_in(client, make_user(email=f"{role.value}@example.org", roles=(role,)))
    assert nav_links(client.get(SIGNED_IN).get_data(as_text=True)) == EXPECTED[role]


def test_a_juror_coordinator_sees_both_roles_links_once(app, client, make_user, sign_in):
    sign_in(client, make_user(email="both@example.org", roles=(Role.JUROR, Role.COORDINATOR)))
    assert nav_links(client.get(SIGNED_IN).get_data(as_text=True)) == [
        "/competition/about", "/results/", "/competition/entries/", "/campaign/", "/judging/", "/judging/profile",
        "/judging/conflicts", SIGNED_IN]


def test_the_links_are_in_french_for_a_french_reader(app, client, make_user, sign_in):
    sign_in(client, make_user(email="juror@example.org", roles=(Role.JUROR,), language="fr"))
    html = client.get(SIGNED_IN).get_data(as_text=True)
    assert ">Évaluation</a>" in html and ">Votre compte</a>" in html


def test_every_package_registers_its_own_items(app):
    endpoints = [item.endpoint for item in navigation.registered(app)]
    assert endpoints[0] == "competition.public_edition" and endpoints[-1] == "accounts.settings"
    assert {e.split(".")[0] for e in endpoints} == {"competition", "results", "campaign", "judging", "accounts"}


def test_two_items_cannot_claim_the_same_endpoint_or_place(app):
    with pytest.raises(ValueError, match="clashes"):
        navigation.register(app, "judging.index", "Again", order=999)
    with pytest.raises(ValueError, match="clashes"):
        navigation.register(app, "accounts.login", "Log in", order=10)
    with pytest.raises(ValueError, match="no one"):
        navigation.register(app, "accounts.login", "Log in", roles=(), order=999)


ROOT = Path(__file__).resolve().parent.parent
URL_FOR = re.compile(r"""url_for\(\s*['"]([\w.]+)['"]""")


def core_templates():
    """The templates outside the packages' folders (base.html, core/, macros/, errors/, email/, ...)."""
    templates = ROOT / "templates"
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"core"}
    return [path for path in sorted(templates.rglob("*"))
            if path.is_file() and path.relative_to(templates).parts[0] not in packages]


def test_core_templates_name_only_core_endpoints(app):
    """Links from core's templates to a package come from the registry (navigation_items), so that core names
    none of the packages above it; a url_for("accounts.login") in base.html fails here."""
    core = {name for name, blueprint in app.blueprints.items() if blueprint.import_name.split(".")[0] == "core"}
    paths = core_templates()
    assert {"base.html", "core/index.html", "macros/forms.html"} <= {
        path.relative_to(ROOT / "templates").as_posix() for path in paths}
    named = [(path.relative_to(ROOT).as_posix(), endpoint) for path in paths
             for endpoint in URL_FOR.findall(path.read_text(encoding="utf-8"))]
    assert ("templates/base.html", "core.index") in named, "the finder lost the templates' url_for calls"
    outside = [f"{where}: {endpoint}" for where, endpoint in named
               if endpoint != "static" and endpoint.split(".")[0] not in core]
    assert outside == [], "register these links with core.navigation instead:\n" + "\n".join(outside)


def test_the_home_page_draws_what_the_packages_register(client, make_user, sign_in):
    visitor = client.get("/").get_data(as_text=True)
    assert 'href="/account/login"' in visitor and 'href="/account/signup"' in visitor
    assert '<a class="button" href="/account/signup">' in visitor
    assert '<a class="button button-secondary" href="/account/login">' in visitor
    assert 'href="/competition/about">This year&#39;s competition' in visitor
    sign_in(client, make_user(email="secretariat@example.org", roles=(Role.SECRETARIAT,), language="fr"))
    home = client.get("/").get_data(as_text=True)
    cards = re.findall(r'<li class="card"><h3><a href="([^"]+)">([^<]+)</a></h3>', home)
    assert [href for href, _label in cards] == ["/competition/", "/judging/", "/account/invitations",
                                                SIGNED_IN]
    assert 'action="/account/logout"' in home and "Se déconnecter" in home and 'href="/account/login"' not in home
