"""The core's user-facing messages in the user's language, without Qt: `_("template {field}", field=value)` looks
the English template up in the catalogue of the chosen language (resources/i18n/core_<lang>.json, package data)
and fills in the named fields; a template with no translation stays English. The GUI's own strings go through Qt
(`tr()`); this module serves the core and the CLI, and sets the language both follow.

The language: `WEIGHTSTUDIO_LANG` (set by `set_language`, so training processes spawned later inherit the
studio's choice), else the POSIX locale (LC_ALL, then LC_MESSAGES, then LANG).
"""

from __future__ import annotations

import json
import os
from functools import cache

LANGS = ("en", "zh")
LANG_ENV = "WEIGHTSTUDIO_LANG"


def language(environ=None) -> str:
    """'zh' or 'en': the explicit choice in WEIGHTSTUDIO_LANG, else 'zh' when the locale is Chinese."""
    env = os.environ if environ is None else environ
    chosen = env.get(LANG_ENV, "")
    if chosen in LANGS:
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str | None) -> None:
    """Choose the language of this process and of the processes it starts; None or '' follows the locale."""
    if lang and lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGS)})")
    if lang:
        os.environ[LANG_ENV] = lang
    else:
        os.environ.pop(LANG_ENV, None)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """English template → translated template for `lang` ({} for English)."""
    if lang == "en":
        return {}
    from .resources import resource

    return json.loads(resource(f"messages-{lang}").read_text(encoding="utf-8"))


def translate(template: str) -> str:
    """The template in the current language, fields not yet filled."""
    return catalogue(language()).get(template, template)


def _(template: str, **fields) -> str:
    """The message `template` in the current language with its {named} fields filled in."""
    return translate(template).format(**fields) if fields else translate(template)


def N_(template: str) -> str:
    """Marks an English template kept in a table and translated later with `_(template, ...)` (gettext's N_):
    tests/test_i18n.py reads the templates of `_` and `N_` alike."""
    return template


# argparse's own words, which it looks up through the name `_` in its module on every use: pointed at the
# catalogue by `localise_argparse`, they follow the language with the rest of --help and the usage errors.
ARGPARSE_TEXTS = (
    N_("usage: "), N_("options"), N_("positional arguments"), N_("show this help message and exit"),
    N_("show program's version number and exit"), N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("expected one argument"), N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"), N_("ambiguous option: %(option)s could match %(matches)s"),
)


def localise_argparse() -> None:
    """Make argparse's own texts (usage:, options, error:, ...) follow the language; call before parsing."""
    import argparse

    argparse._ = translate
