"""Language and timezone selection, the language switcher, and names and sizes in the reader's language."""
from __future__ import annotations

from zoneinfo import ZoneInfo, available_timezones

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from flask import current_app, g, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user

babel = Babel()


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI, background work: callers use force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The language of the current request (or the default outside one), as a code: "en", "fr"."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user and current_user.is_authenticated and valid_timezone(current_user.timezone):
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


_TIMEZONES: list[str] = []


def timezone_choices() -> list[str]:
    if not _TIMEZONES:
        _TIMEZONES.extend(sorted(tz for tz in available_timezones() if "/" in tz and not tz.startswith("Etc/")))
    return _TIMEZONES


def valid_timezone(name: str | None) -> bool:
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return name in timezone_choices() or name == "UTC"


def _names_locale(locale: str | None) -> Locale:
    """Babel's data for ``locale``, by default the reader's language (English outside a request)."""
    return Locale.parse(locale or str(get_locale() or "en"))


def language_name(code: str | None, locale: str | None = None, *, capitalised: bool = False) -> str:
    """Language ``code``'s name in ``locale`` (by default the reader's language), from Babel's locale data.

    As CLDR writes it inside a sentence: "French", "français". ``capitalised`` gives the form French uses
    where the name stands alone, in a menu or a table ("Français"). A regional code is named by its
    language ("pt-BR": "Portuguese"), an unknown code is given back as it is, and no code gives "".
    """
    if not code:
        return ""
    base = code.replace("-", "_").split("_")[0].lower()
    try:
        name = _names_locale(locale).languages.get(base) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if capitalised else name


def country_name(code: str | None, locale: str | None = None) -> str:
    """Country ``code``'s name ("FR") in ``locale`` (by default the reader's language), from Babel's data."""
    if not code:
        return ""
    try:
        return _names_locale(locale).territories.get(code) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def file_size(size: int | None) -> str:
    """A file's size in the reader's language: "350 kB", "1.2 MB" ("1,2 Mo" in French)."""
    size = size or 0
    if size < 1_000_000:
        return _("%(size)s kB", size=format_decimal(max(1, round(size / 1000)), locale=_names_locale(None)))
    return _("%(size)s MB", size=format_decimal(round(size / 1_000_000, 1), locale=_names_locale(None)))


def _translations():
    """Flask-Babel's translations for the reader's language, looked up once per request and language.

    Flask-Babel finds the domain, the locale and the locale's name again at every string a template translates
    (a page has hundreds); the translations are kept on ``g`` with the very ``Locale`` object they were found
    for, so ``force_locale`` (a mail in the recipient's language) and ``refresh`` (a new language chosen) find
    them again."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    cached = g.get("_translations_for")
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    locale = getattr(g.get("_flask_babel"), "babel_locale", None)
    if locale is not None:
        g._translations_for = (locale, translations)
    return translations


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.install_gettext_callables(  # as Flask-Babel's, with the translations looked up once a request
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    for helper in (language_name, country_name, file_size):
        app.add_template_global(helper)
