"""The site's navigation: each package registers its own items at ``init_app``; the base layout draws them.

Core knows no package's endpoints or roles (docs/architecture.md: core imports no other package of ours).
A package adds its links when the app is built::

    navigation.register(app, "competition.classes", _l("Your classes"), roles=(Role.TEACHER,), order=30)

``roles`` is ``ANYONE``, ``SIGNED_IN``, or the roles that see the item (``current_user.has_role``).
Items are drawn by ``order``; an item whose endpoint the app does not have is left out.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, has_request_context
from flask_login import current_user

ANYONE = "anyone"
SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class NavigationItem:
    endpoint: str
    label: object  # a lazy string, translated when drawn
    roles: str | tuple  # ANYONE, SIGNED_IN, or the roles that see it
    order: int

    def visible(self, signed_in: bool) -> bool:
        if self.roles == ANYONE:
            return True
        if not signed_in:
            return False
        return self.roles == SIGNED_IN or current_user.has_role(*self.roles)


def register(app, endpoint: str, label, *, roles: str | Iterable = ANYONE, order: int) -> None:
    """Add a link to the site's navigation of ``app``. Two items may not share an endpoint or an order."""
    items: list[NavigationItem] = app.extensions.setdefault("navigation", [])
    if isinstance(roles, str):  # ANYONE, SIGNED_IN, or one role (a Role is a str)
        roles = roles if roles in (ANYONE, SIGNED_IN) else (roles,)
    else:
        roles = tuple(roles)
    if not roles:
        raise ValueError(f"navigation item {endpoint!r}: no one would see it")
    for item in items:
        if item.endpoint == endpoint or item.order == order:
            raise ValueError(f"navigation item {endpoint!r} (order {order}) clashes with {item.endpoint!r} "
                             f"(order {item.order})")
    items.append(NavigationItem(endpoint, label, roles, order))
    items.sort(key=lambda item: item.order)


def registered(app=None) -> list[NavigationItem]:
    return list((app or current_app).extensions.get("navigation", []))


def navigation() -> list[tuple[str, object]]:
    """(endpoint, label) of the items the current user sees, in order."""
    if not has_request_context():  # emails use the same context processors, also from the CLI
        return []
    signed_in = current_user.is_authenticated
    return [(item.endpoint, item.label) for item in registered()
            if item.endpoint in current_app.view_functions and item.visible(signed_in)]
