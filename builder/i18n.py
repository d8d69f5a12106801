"""The page's languages: one message catalog per language (site_templates/locales/<lang>.json), checked against the
English one at build time, and the class names in each language. docs/languages.md says how to add a language."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from markupsafe import Markup, escape

from .errors import ExplainError

DEFAULT_LANGUAGE = "en"  # the reference catalog: every other one holds exactly its keys
PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")  # as frontend/src/ui/text.js reads them
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")  # Intl.PluralRules categories
CLASS_PREFIX = "class."  # "class.<English name>": a known class's name in that language (Fashion-MNIST's)
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # BCP 47, as catalogs are named
Message = str | dict[str, str]  # a text, or its plural forms by category ("other" always)


def available_languages(folder: Path) -> tuple[str, ...]:
    """The languages with a catalog in `folder`, English first: files named by a language code (en.json, zh.json,
    pt-BR.json), so that other files may sit beside them (glossary.zh.json, the terms zh.json holds to)."""
    codes = sorted(path.stem for path in folder.glob("*.json") if LANGUAGE_CODE.fullmatch(path.stem))
    return tuple(sorted(codes, key=lambda code: code != DEFAULT_LANGUAGE))


def _placeholders(message: Message) -> set[str]:
    forms = message.values() if isinstance(message, dict) else [message]
    return {name for form in forms for name in PLACEHOLDER.findall(form)}


def _read(path: Path) -> dict[str, Message]:
    try:
        catalog = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExplainError(f"the {path.stem} catalog {path} cannot be read: {error}") from None
    if not isinstance(catalog, dict):
        raise ExplainError(f"the {path.stem} catalog {path} must be a JSON object of messages by key")
    for key, message in catalog.items():
        plural = isinstance(message, dict) and "other" in message and set(message) <= set(PLURAL_FORMS)
        if not (isinstance(message, str) or (plural and all(isinstance(form, str) for form in message.values()))):
            raise ExplainError(
                f'the {path.stem} catalog {path}: "{key}" must be a text, or plural forms such as '
                '{"one": "...", "other": "..."}'
            )
    return catalog


def load_catalogs(folder: Path) -> dict[str, dict[str, Message]]:
    """Every catalog in `folder` by language, each checked against English: the same keys, and in each message
    the same {placeholders}. Raises ExplainError naming what is missing or extra."""
    languages = available_languages(folder)
    if DEFAULT_LANGUAGE not in languages:
        raise ExplainError(f"no {DEFAULT_LANGUAGE}.json in {folder}: the English catalog is the reference")
    catalogs = {code: _read(folder / f"{code}.json") for code in languages}
    reference = catalogs[DEFAULT_LANGUAGE]
    for code, catalog in catalogs.items():
        path = folder / f"{code}.json"
        missing = [key for key in reference if key not in catalog]
        if missing:
            raise ExplainError(
                f"the {code} catalog {path} lacks {len(missing)} message{'s' if len(missing) > 1 else ''} that "
                f"{DEFAULT_LANGUAGE}.json has: {', '.join(missing[:20])}{', ...' if len(missing) > 20 else ''}"
            )
        extra = [key for key in catalog if key not in reference]
        if extra:
            raise ExplainError(
                f"the {code} catalog {path} has messages {DEFAULT_LANGUAGE}.json lacks: {', '.join(extra)}"
            )
        for key, message in catalog.items():
            if _placeholders(message) != _placeholders(reference[key]):
                wanted = ", ".join(f"{{{name}}}" for name in sorted(_placeholders(reference[key]))) or "none"
                raise ExplainError(f'the {code} catalog {path}: "{key}" must use the placeholders {wanted}')
    return catalogs


def check_language(language: str, catalogs: Mapping[str, object]) -> None:
    """Raise ExplainError unless the page has a catalog for `language`."""
    if language not in catalogs:
        raise ExplainError(
            f"--lang {language}: the page speaks {', '.join(catalogs)}; docs/languages.md says how to add one"
        )


def translator(catalog: Mapping[str, Message], language: str) -> Callable[..., Markup]:
    """The template function t(key, **values, count=None): message `key` as HTML, its placeholders filled with
    `values` (escaped, unless already Markup); with `count`, its plural form: "one" for 1 when the message has
    one (the page itself follows Intl.PluralRules)."""

    def t(key: str, count: int | None = None, **values) -> Markup:
        if key not in catalog:
            raise ExplainError(f"no message {key!r} in the {language} catalog")
        message = catalog[key]
        if isinstance(message, dict):
            form = "one" if count == 1 and "one" in message else "other"
            message = message[form]
        if count is not None:
            values = {"count": count, **values}

        def value(match: re.Match) -> str:
            if match.group(1) not in values:
                raise ExplainError(f"message {key!r} needs a value for {{{match.group(1)}}}")
            return str(escape(values[match.group(1)]))

        return Markup(PLACEHOLDER.sub(value, str(escape(message))))

    return t


NUMBERED = re.compile(r"class (\d+)")  # the names a model's classes get when nothing names them (classes.py)


def class_names(catalog: Mapping[str, Message], names: tuple[str, ...] | list[str]) -> list[str]:
    """`names` in the catalog's language: a class the catalog knows ("class.<name>") is translated, a numbered one
    ("class 3", when nothing named the classes) written as the catalog numbers classes, any other keeps its name."""

    def named(name: str) -> str:
        numbered = NUMBERED.fullmatch(name)
        if numbered and isinstance(catalog.get("classes.numbered"), str):
            return catalog["classes.numbered"].replace("{index}", numbered.group(1))
        return str(catalog.get(CLASS_PREFIX + name, name))

    return [named(name) for name in names]
