"""The site's links: each package registers its own at ``init_app``; core's templates draw them.

Core knows no package's endpoints or roles (docs/architecture.md: core imports no other package of ours), and
its templates (``templates/base.html``, ``templates/core/``) name only core endpoints: every link to a package
comes from here. A package adds its links when the app is built::

    navigation.register(app, "competition.classes", _l("Your classes"), roles=(Role.TEACHER,), order=30)

``roles`` is ``ANYONE``, ``SIGNED_IN``, ``SIGNED_OUT`` (visitors only), or the roles that see the item
(``current_user.has_role``). ``place`` says where it is drawn (``PLACES``; the navigation bar by default).
Items are drawn by ``order`` within their place; an item whose endpoint the app does not have is left out.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, has_request_context
from flask_login import current_user

ANYONE = "anyone"
SIGNED_IN = "signed_in"
SIGNED_OUT = "signed_out"

# Where an item is drawn: the navigation bar, the header's account links (drawn as a form when ``post``), and
# on the home page the link under its introduction, a signed-in user's cards (with a ``hint``) and a
# visitor's panels (with a ``heading`` and a ``hint``; the first is the main call to action).
MAIN, ACCOUNT, HOME_INTRO, HOME_CARDS, HOME_WELCOME = "main", "account", "home_intro", "home_cards", "home_welcome"
PLACES = (MAIN, ACCOUNT, HOME_INTRO, HOME_CARDS, HOME_WELCOME)


@dataclass(frozen=True)
class NavigationItem:
    endpoint: str
    label: object  # a lazy string, translated when drawn
    roles: str | tuple  # ANYONE, SIGNED_IN, SIGNED_OUT, or the roles that see it
    order: int
    place: str = MAIN
    hint: object = None  # a lazy string: the sentence drawn with the link (home cards and panels)
    heading: object = None  # a lazy string: the heading of a home panel
    post: bool = False  # drawn as a button in a form that posts (log out)

    def visible(self, signed_in: bool) -> bool:
        if self.roles == ANYONE:
            return True
        if self.roles == SIGNED_OUT:
            return not signed_in
        if not signed_in:
            return False
        return self.roles == SIGNED_IN or current_user.has_role(*self.roles)


def register(app, endpoint: str, label, *, roles: str | Iterable = ANYONE, order: int, place: str = MAIN,
             hint=None, heading=None, post: bool = False) -> None:
    """Add a link to ``place`` on the pages of ``app``. Two items of a place may not share an endpoint or an
    order."""
    if place not in PLACES:
        raise ValueError(f"navigation item {endpoint!r}: no place {place!r} (one of {', '.join(PLACES)})")
    items: list[NavigationItem] = app.extensions.setdefault("navigation", [])
    if isinstance(roles, str):  # ANYONE, SIGNED_IN, SIGNED_OUT, or one role (a Role is a str)
        roles = roles if roles in (ANYONE, SIGNED_IN, SIGNED_OUT) else (roles,)
    else:
        roles = tuple(roles)
    if not roles:
        raise ValueError(f"navigation item {endpoint!r}: no one would see it")
    for item in items:
        if item.place == place and (item.endpoint == endpoint or item.order == order):
            raise ValueError(f"navigation item {endpoint!r} (order {order}) clashes with {item.endpoint!r} "
                             f"(order {item.order}) in {place!r}")
    items.append(NavigationItem(endpoint, label, roles, order, place, hint, heading, post))
    items.sort(key=lambda item: item.order)


def registered(app=None, place: str = MAIN) -> list[NavigationItem]:
    return [item for item in (app or current_app).extensions.get("navigation", []) if item.place == place]


def items(place: str = MAIN) -> list[NavigationItem]:
    """The items of ``place`` the current user sees, in order (a template global: ``navigation_items``)."""
    if not has_request_context():  # emails use the same context processors, also from the CLI
        return []
    signed_in = current_user.is_authenticated
    return [item for item in registered(place=place)
            if item.endpoint in current_app.view_functions and item.visible(signed_in)]


def navigation() -> list[tuple[str, object]]:
    """(endpoint, label) of the navigation bar's items the current user sees, in order."""
    return [(item.endpoint, item.label) for item in items(MAIN)]
