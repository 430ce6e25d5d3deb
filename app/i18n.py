"""Languages: locale choice and the translation catalogues.

Every feature keeps its own catalogue in ``app/<feature>/translations`` (the shared strings of
the layout and errors live in ``app/translations``), so a feature stays one folder. Flask-Babel
merges them all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import click
from babel.dates import format_timedelta
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import Flask, current_app, g, has_request_context, request, session
from flask.cli import with_appcontext
from flask_babel import format_datetime, get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.clock import utcnow
from app.extensions import babel

APP_DIR = Path(__file__).resolve().parent
DOMAIN = "messages"
# Languages with a catalogue; English is the language of the source strings.
TRANSLATED = ("de",)
EXTRACT_METHODS = [
    ("**/translations/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
]
EXTRACT_KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
}


# Where a request keeps its catalogue (on ``g``) and the app its fragments rendered once.
CATALOGUE_MEMO = "kollegium_catalogue"
RENDERED_ONCE = "kollegium.rendered_once"
DATE_PATTERNS = "kollegium.date_patterns"


def init_app(app: Flask) -> None:
    directories = [str(path) for path in catalogue_dirs()]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(directories)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )
    app.extensions[RENDERED_ONCE] = {}
    app.extensions[DATE_PATTERNS] = {}
    app.jinja_env.globals["once_per_language"] = once_per_language
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.filters["absolute_time"] = absolute_time
    app.jinja_env.filters["relative_time"] = relative_time


def catalogue():
    """The catalogue of the language this request speaks now. Flask-Babel looks it up anew
    for every string (three context look-ups and a locale name each), and a page shows
    hundreds; this keeps it on ``g`` beside the locale it belongs to, so a forced locale
    (mail to a colleague in their language) or a refreshed one gets its own."""
    locale = get_locale()
    memo = g.get(CATALOGUE_MEMO)
    if memo is None or memo[0] is not locale:
        memo = (locale, get_translations())
        setattr(g, CATALOGUE_MEMO, memo)
    return memo[1]


def once_per_language(name: str, render: Callable[[], str]) -> Markup:
    """What ``render`` (a macro that depends on nothing but the language and the app's
    addresses, such as the labels a script shows) produces, rendered once per language and
    process: the catalogues and routes do not change while a process runs."""
    rendered = current_app.extensions[RENDERED_ONCE]
    root = request.script_root if has_request_context() else ""
    key = (name, str(get_locale()), root)
    if key not in rendered:
        rendered[key] = Markup(render())
    return rendered[key]


# Within this, a time reads as "5 min. ago"; older ones in the absolute format.
RELATIVE_LIMIT = timedelta(days=7)
JUST_NOW = timedelta(seconds=45)


def absolute_time(when: datetime) -> str:
    """The one absolute format: the locale's medium date, short time ("06.12.2026, 20:22")."""
    locale = get_locale()
    patterns = current_app.extensions[DATE_PATTERNS]
    key = str(locale)
    if key not in patterns:  # a page shows many dates; the locale's data is slow to read
        patterns[key] = (
            str(locale.datetime_formats["medium"])
            .replace("{1}", locale.date_formats["medium"].pattern)
            .replace("{0}", locale.time_formats["short"].pattern)
        )
    return format_datetime(when, patterns[key])


def relative_time(when: datetime) -> str:
    """ "vor 5 Min." for the last days (or "in 2 Std." ahead), else the absolute format.
    ``when`` is naive UTC, as stored."""
    delta = when - utcnow()
    if abs(delta) < JUST_NOW:
        return _("just now")
    if abs(delta) >= RELATIVE_LIMIT:
        return absolute_time(when)
    return format_timedelta(
        delta, add_direction=True, format="short", threshold=0.9, locale=get_locale()
    )


def select_locale() -> str:
    """The user's setting, else the language chosen before signing in, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line, background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def source_dirs() -> list[Path]:
    """Folders whose strings form one catalogue: the app's top level and each feature."""
    features = sorted(p for p in APP_DIR.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    return [APP_DIR, *features]


def catalogue_dirs() -> list[Path]:
    return [folder / "translations" for folder in source_dirs()]


def extract_catalogue(folder: Path) -> Catalog:
    """Messages used in ``folder``; for the app's top level, without the feature folders."""
    catalog = Catalog(domain=DOMAIN)
    features = {path.name for path in source_dirs() if path != APP_DIR}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(folder), method_map=EXTRACT_METHODS, keywords=EXTRACT_KEYWORDS, strip_comment_tags=True
    ):
        if folder == APP_DIR and Path(filename).parts[0] in features:
            continue  # a feature's strings belong to its own catalogue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(folder: Path, locale: str) -> Path:
    return folder / "translations" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def update_catalogues() -> list[Path]:
    """Bring every .po file in line with the strings in the code; keep translations."""
    written = []
    for folder in source_dirs():
        template = extract_catalogue(folder)
        if not len(template):
            continue
        for locale in TRANSLATED:
            path = po_path(folder, locale)
            if path.exists():
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=locale)
            else:
                catalog = Catalog(locale=locale, domain=DOMAIN)
            created = catalog.creation_date
            catalog.update(template, no_fuzzy_matching=True)
            # A stable header and no line numbers: an update that adds one string changes one
            # entry, so branches that translate in parallel merge without conflicts. A header
            # that is not fuzzy is one standard gettext tools (pybabel, msgfmt) compile.
            catalog.creation_date = catalog.revision_date = created
            catalog.fuzzy = False
            catalog.project, catalog.version = "Kollegium", "1"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(
                    handle,
                    catalog,
                    omit_header=False,
                    sort_output=True,
                    ignore_obsolete=True,
                    include_lineno=False,
                )
            written.append(path)
    return written


def compile_catalogues() -> list[Path]:
    """Write a .mo beside every .po (the .mo files are build output, not in git)."""
    written = []
    for folder in source_dirs():
        for locale in TRANSLATED:
            path = po_path(folder, locale)
            if not path.exists():
                continue
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            target = path.with_suffix(".mo")
            with target.open("wb") as handle:
                write_mo(handle, catalog)
            written.append(target)
    return written


def missing_translations() -> dict[str, list[str]]:
    """Per catalogue, the strings the code uses that have no German translation."""
    missing: dict[str, list[str]] = {}
    for folder in source_dirs():
        template = extract_catalogue(folder)
        if not len(template):
            continue
        for locale in TRANSLATED:
            path = po_path(folder, locale)
            translated: dict = {}
            if path.exists():
                with path.open("rb") as handle:
                    translated = {m.id: m.string for m in read_po(handle, locale=locale) if m.id}
            gaps = []
            for message in template:
                if not message.id:
                    continue
                string = translated.get(message.id)
                if not string or (isinstance(string, tuple) and not all(string)):
                    gaps.append(message.id if isinstance(message.id, str) else message.id[0])
            if gaps:
                missing[str(path.relative_to(APP_DIR.parent))] = gaps
    return missing


@click.group("i18n", help="Translation catalogues.")
def i18n_cli() -> None:
    pass


@i18n_cli.command("update", help="Extract strings into every catalogue (keeps translations).")
@with_appcontext
def update_command() -> None:
    for path in update_catalogues():
        click.echo(path)


@i18n_cli.command("compile", help="Compile the catalogues to .mo files.")
def compile_command() -> None:
    for path in compile_catalogues():
        click.echo(path)


@i18n_cli.command("check", help="Exit 1 when a string has no German translation.")
def check_command() -> None:
    missing = missing_translations()
    for path, ids in missing.items():
        for message_id in ids:
            click.echo(f"{path}: {message_id}")
    if missing:
        raise SystemExit(1)
