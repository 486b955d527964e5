"""The interface language: English or Chinese, through gettext with catalogs managed by Babel.

The language is decided once, before any command module is imported (click reads help texts at
import time): `--lang`, else `STUDYCTL_LANG`, else `language:` in settings.yaml, else the locale
(`LC_ALL`, `LC_MESSAGES`, `LANG` starting with "zh" means Chinese). Strings are marked with `_()`
(and `ngettext` for plurals; `N_()` marks a string translated later, at use). The compiled
catalog ships in the wheel under studyctl/locale/<lang>/LC_MESSAGES/studyctl.mo.

Catalogs (documented in the README):
    pybabel extract -F babel.cfg -o studyctl/locale/studyctl.pot studyctl
    pybabel update -i studyctl/locale/studyctl.pot -d studyctl/locale -D studyctl
    pybabel compile -d studyctl/locale -D studyctl
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import gettext

LANGUAGES = ("en", "zh")
DOMAIN = "studyctl"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANG_ENV = "STUDYCTL_LANG"

_active = "en"
# None in English: the messages are their own translation, and start-up never loads gettext.
_translation: gettext.NullTranslations | None = None


def _(message: str) -> str:
    """`message` in the interface language."""
    return message if _translation is None else _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` (English: one/other; Chinese has one form)."""
    if _translation is None:
        return singular if n == 1 else plural
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it now (translated at use with _())."""
    return message


def current() -> str:
    return _active


def activate(language: str) -> str:
    """Use `language` ("en" or "zh"; anything else falls back to English) from now on."""
    global _active, _translation
    _active = language if language in LANGUAGES else "en"
    if _active == "en":
        _translation = None
    else:
        import gettext

        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_active], fallback=True)
    return _active


def from_locale(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """zh when the locale says Chinese (LC_ALL, then LC_MESSAGES, then LANG), else en."""
    env = os.environ if environ is None else environ
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


_SETTING = re.compile(r"^language:\s*['\"]?(\w+)['\"]?\s*(?:#.*)?$", re.MULTILINE)


def from_settings(path: Path) -> str | None:
    """`language:` in settings.yaml, read with one regular expression: the language is needed
    before anything else, and parsing YAML here would cost start-up time on every command.
    (settings.py validates the key like every other.)"""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = _SETTING.search(text)
    return found.group(1) if found and found.group(1) in LANGUAGES else None


def choose(argument: str | None, settings_path: Path, environ: dict[str, str] | None = None) -> str:
    """The interface language: --lang, STUDYCTL_LANG, settings.yaml, then the locale."""
    env = dict(os.environ) if environ is None else environ
    for candidate in (argument, env.get(LANG_ENV)):
        if candidate in LANGUAGES:
            return candidate
    return from_settings(settings_path) or from_locale(env)


def localized(item: Any, name: str = "title") -> str:
    """A content field in the interface language: `title_zh` (or `front_zh`, `notes_zh`...) in
    Chinese where the content carries it, else the field itself, so nothing is ever blank."""
    own = getattr(item, name, None) or ""
    if _active == "zh":
        return getattr(item, f"{name}_zh", None) or own
    return own


WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def day_label(day: dt.date, *, year: bool = False) -> str:
    """A date as people write it: "Wed 2 Dec" in English, "12月2日 周三" in Chinese."""
    if _active == "zh":
        text = f"{day.month}月{day.day}日 {WEEKDAYS_ZH[day.weekday()]}"
        return f"{day.year}年{text}" if year else text
    return day.strftime("%a %-d %b %Y" if year else "%a %-d %b")


def _as_date(day: dt.date | str) -> dt.date:
    """A date, or an ISO date or timestamp as stored (its first ten characters)."""
    return dt.date.fromisoformat(day[:10]) if isinstance(day, str) else day


def plain_date(day: dt.date | str) -> str:
    """A date in a sentence or a column: ISO in English, as those lines always printed it (and
    scripts may read it), "2026年12月3日" in Chinese."""
    date = _as_date(day)
    return short_date(date) if _active == "zh" else date.isoformat()


def figure_day(day: dt.date | str) -> str:
    """A date among figures (stats' tables and headers): ISO in English, as those lines always
    printed it, and "12月2日 周三" in Chinese, padded to one width so that columns line up."""
    date = _as_date(day)
    return ljust(day_label(date), 13) if _active == "zh" else date.isoformat()  # widest: "12月12日 周三"


def short_date(day: dt.date) -> str:
    """A date without the weekday: "2 Dec 2026" / "2026年12月2日"."""
    if _active == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.strftime("%-d %b %Y")


def width(text: str) -> int:
    """Terminal columns `text` takes: a Chinese character counts two (wcwidth, the maintained
    table of East Asian widths)."""
    if text.isascii():
        return len(text)  # one column each (and no need to load wcwidth's tables)
    from wcwidth import wcswidth

    columns = wcswidth(text)
    return columns if columns >= 0 else len(text)  # control characters: count them as one each


def ljust(text: str, columns: int) -> str:
    """`text` padded with spaces to `columns` terminal columns (str.ljust counts characters)."""
    return text + " " * max(0, columns - width(text))


def rjust(text: str, columns: int) -> str:
    return " " * max(0, columns - width(text)) + text


_WIDE = "\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_CLOSING = "，。、；：？！）》」』】”’"
# A wide character with the closing punctuation that must stay on its line; a run of anything
# else that isn't a space; or spaces.
_TOKENS = re.compile(rf"[{_WIDE}][{_CLOSING}]*|[^\s{_WIDE}]+|\s+")
_HAS_WIDE = re.compile(f"[{_WIDE}]")


def has_wide(text: str) -> bool:
    """Whether `text` holds characters two columns wide (Chinese, Japanese, Korean)."""
    return bool(_HAS_WIDE.search(text))


def wrap_spans(text: str, first: int, rest: int | None = None) -> list[tuple[int, int]]:
    """Where `text` (one paragraph) breaks into lines of at most `first` columns (then `rest`),
    as (start, end) offsets into it, for text with Chinese in it (textwrap breaks only at spaces
    and counts characters): a line breaks at a space or between two wide characters, never
    before closing punctuation (which may run a column or two over); a word longer than a line
    stays whole. The spaces at a break belong to no line; the paragraph's own indentation
    belongs to its first line (a heatmap's unlabelled rows, an indented detail)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for token in _TOKENS.finditer(text):
        if token.group().isspace():
            if start is None and not spans:
                start, end = token.start(), token.end()
            continue
        limit = first if not spans else (first if rest is None else rest)
        if start is not None and width(text[start : token.end()]) > limit and token.group()[0] not in _CLOSING:
            spans.append((start, end))
            start = None
        if start is None:
            start = token.start()
        end = token.end()
    if start is not None:
        spans.append((start, end))
    return spans


def wrap_columns(text: str, columns: int, indent: str = "", subsequent_indent: str | None = None) -> list[str]:
    """`text` in lines of at most `columns` terminal columns, indents included (wrap_spans)."""
    later = indent if subsequent_indent is None else subsequent_indent
    spans = wrap_spans(text, columns - width(indent), columns - width(later))
    return [(indent if n == 0 else later) + text[start:end] for n, (start, end) in enumerate(spans)]
