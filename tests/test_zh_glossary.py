"""The Chinese text holds to its glossary (site_templates/locales/glossary.zh.json, issue #30): one term per concept
in the catalog (zh.json) and the article, class names quoted “衬衫” and never set off by spaces, and one rule each
for ×, ranges, commas and capitals. The checks are functions of the text, so they can be run on older versions."""

from __future__ import annotations

import json
import re

from testkit.chromium import ROOT

TEMPLATES = ROOT / "site_templates"
GLOSSARY = TEMPLATES / "locales" / "glossary.zh.json"
CATALOG = TEMPLATES / "locales" / "zh.json"
# every file that holds Chinese a visitor reads, besides the catalog
CHINESE_FILES = [TEMPLATES / "article.zh.html.j2", TEMPLATES / "intro.html.j2", TEMPLATES / "index.html.j2"]
FRONTEND = ROOT / "frontend" / "src"

CJK = "\u4e00-\u9fff"  # ideographs only: not the full-width punctuation
# placeholders that hold a class name in every message that has them
CLASS_PLACEHOLDERS = {"truth", "predicted", "prediction", "class", "before", "after"}
# messages (and groups of them, ending in ".") whose {unit}, {name} or {answer} is a class name: elsewhere it is a
# number, or a model, layer, file or kernel name. outputMessages.js gives view.output's {unit} a class name, or
# "神经元 3" for a hidden dense layer (quoted too)
CLASS_NAME_KEYS = {
    "view.output.": "unit",
    "view.output.logit.show": "name",
    "view.shown": "name",
    "view.softmax.title": "name",
    "view.softmax.back": "name",
    "view.softmax.show": "name",
    "whatif.move": "name",
    "tour.scores.reveal": "answer",
}


def messages(catalog: dict) -> dict[str, str]:
    """Every text of `catalog` by key, a plural form as key.form."""
    texts = {}
    for key, message in catalog.items():
        if isinstance(message, dict):
            texts.update({f"{key}.{form}": text for form, text in message.items()})
        else:
            texts[key] = message
    return texts


def class_placeholders(key: str) -> set[str]:
    """The placeholders of message `key` (a plural form's key too) that hold a class name."""
    extra = {value for name, value in CLASS_NAME_KEYS.items() if key == name or key.startswith(name.rstrip(".") + ".")}
    return CLASS_PLACEHOLDERS | extra


def class_name_problems(catalog: dict) -> list[str]:
    """Class names set off by spaces, or run into Chinese words without quotes: 衬衫 被预测成 外套, 是衬衫吗."""
    problems = []
    for key, text in messages(catalog).items():
        for name in sorted(class_placeholders(key)):
            slot = re.escape(f"{{{name}}}")
            spaced = rf"[{CJK}“”]\s+{slot}|{slot}\s+[{CJK}“”]"
            bare = rf"[{CJK}]{slot}|{slot}[{CJK}]"
            unquoted = rf"“{slot}(?!”)|(?<!“){slot}”"
            for rule, pattern in (("spaced", spaced), ("unquoted", bare), ("half-quoted", unquoted)):
                if re.search(pattern, text):
                    problems.append(f"{key}: {{{name}}} {rule}: {text}")
    return problems


def glossary() -> dict:
    return json.loads(GLOSSARY.read_text(encoding="utf-8"))


def rejected_uses(texts: dict[str, str], terms: list[dict]) -> list[str]:
    """Each rejected variant of a glossary term found in `texts` (by where they come from)."""
    return [
        f"{where}: {variant!r} (the glossary's {term['concept']}: {term['term'] or term['note']})"
        for term in terms
        for variant in term["rejected"]
        for where, text in texts.items()
        if variant in text
    ]


def typography_problems(catalog: dict) -> list[str]:
    """The catalog's one rule each: a size is {height}×{width} (no spaces), a range 第 {top}～{bottom} 行, a comma
    beside Chinese is full width, a Chinese word is not glued to half-width brackets, no Latin word in capitals."""
    rules = {
        "a size with spaces around ×": r"\} × \{|\d × \d",
        "a range with –": r"[}\d]\s*[–-]\s*[{\d]",
        "a half-width comma beside Chinese": rf"[{CJK}],|,\s*[{CJK}]",
        "a half-width bracket beside Chinese": rf"[{CJK}][()]|[()][{CJK}]",
        "a space beside Chinese punctuation": rf"[{CJK}]\s+[，。：；、（）“”]|[，。：；、（“]\s+[{CJK}]",
        "a Latin word in capitals": r"\bLOGITS?\b",
    }
    return [
        f"{key}: {rule}: {text}"
        for key, text in messages(catalog).items()
        for rule, pattern in rules.items()
        if re.search(pattern, text)
    ]


def chinese_texts() -> dict[str, str]:
    """The catalog's messages and every other file with Chinese in it (templates, front-end sources)."""
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    texts = {f"zh.json {key}": text for key, text in messages(catalog).items()}
    sources = [*CHINESE_FILES, *FRONTEND.rglob("*.js"), *FRONTEND.rglob("*.css")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        if re.search(f"[{CJK}]", text):
            texts[str(path.relative_to(ROOT))] = text
    return texts


def test_class_names_are_quoted_and_never_set_off_by_spaces():
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    assert class_name_problems(catalog) == []
    # the rule sees every message that takes a class name: the confusion matrix's, the tour's, the views'
    keys = {key for key, text in messages(catalog).items() if any(f"{{{n}}}" in text for n in class_placeholders(key))}
    assert {"confusion.detail.wrong.other", "tour.mistake.text", "view.softmax.show", "prediction.wrong"} <= keys


def test_the_rule_catches_the_reviewers_examples():
    assert class_name_problems({"a": "{truth} 被预测成 {predicted}：共 3 张"}) == [
        "a: {predicted} spaced: {truth} 被预测成 {predicted}：共 3 张",
        "a: {truth} spaced: {truth} 被预测成 {predicted}：共 3 张",
    ]
    assert class_name_problems({"view.softmax.show": "查看 {name} 的概率"}) != []
    assert class_name_problems({"b": "模型说它是{prediction}，"}) != []
    assert class_name_problems({"c": "“{truth}”被预测成“{predicted}”：样例 {number}：{truth}"}) == []


def test_the_glossary_is_well_formed():
    terms = glossary()["terms"]
    assert terms
    for term in terms:
        assert {"concept", "en", "term", "rejected"} <= term.keys()
        assert term["term"] not in term["rejected"]
    chosen = {term["term"] for term in terms if term["term"]}
    assert not chosen & {variant for term in terms for variant in term["rejected"]}
    # the catalog's concepts the issue names each have a term
    concepts = {term["concept"] for term in terms}
    for concept in ("overview square", "kernel slice (per input channel)", "logit", "score", "accuracy", "image"):
        assert concept in concepts


def test_only_the_glossarys_terms_are_used():
    assert rejected_uses(chinese_texts(), glossary()["terms"]) == []


def test_the_catalog_keeps_one_typography():
    assert typography_problems(json.loads(CATALOG.read_text(encoding="utf-8"))) == []


def test_latin_words_are_not_capitalised_in_chinese():
    """A heading set in capitals by CSS (text-transform: uppercase) turns 所有 logit into 所有 LOGIT: each such rule
    is undone for Chinese."""
    for path in FRONTEND.rglob("*.css"):
        css = path.read_text(encoding="utf-8")
        for selector in re.findall(r"([^{}\n][^{}]*)\{[^}]*text-transform:\s*uppercase", css):
            for one in selector.split(","):
                undone = rf"{re.escape(one.strip())}:lang\(zh\)\s*\{{[^}}]*text-transform:\s*none"
                assert re.search(undone, css), f"{path.name}: {one.strip()} stays in capitals in Chinese"
