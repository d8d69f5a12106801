"""The front end holds no English a visitor could read: every interface text comes from the catalogs
(site_templates/locales/, through frontend/src/ui/i18n.js). A string literal that reads like English words fails
here, unless it is for developers (an Error thrown to the window.explainer API, the console) or listed below."""

from __future__ import annotations

import re

from testkit.chromium import ROOT

SOURCE = ROOT / "frontend" / "src"
# string literals: '...', "...", and the text parts of `...` (between ${...}); comments are removed first
LITERAL = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`""", re.S)
COMMENT = re.compile(r"""/\*.*?\*/|(?<![:"'`\\])//[^\n]*""", re.S)
WORDS = re.compile(r"[A-Za-z]{2,}[,:;.!?…)]* \(?[A-Za-z]{2,}")  # two words in a row
WORD = re.compile(r"^[A-Z][a-z]{2,}[.…:!?]*$")  # one capitalised word: a label ("Draw", "Close")
# calls whose text is for developers: errors thrown to the window.explainer API (tests match them), the console
FOR_DEVELOPERS = re.compile(r"\b(?:new \w*Error|console\.\w+)\(")
# arguments that are class names: el("div", "a b"), textEl("p", "a b", ...), className = "a b", classList.add("a b")
CLASS_NAMES = re.compile(
    r"""\b((?:el|textEl)\(\s*"[\w-]+"\s*,\s*|className\s*=\s*|classList\.\w+\(\s*|(?:attr|setAttribute)\(\s*"class"\s*,\s*)"""
    r"""("[^"]*"|`[^`]*`)"""
)
CSS = re.compile(r"var\(--|gradient\(|\d+px |:not\(|\[tabindex")  # style values and selectors
CLASS_LIST = re.compile(r"^(?=.*-)[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)+$")  # "neuron neuron-map": hyphenated class names
NOT_WORDS = {
    "(pointer: coarse)",  # media queries
    "(prefers-reduced-motion: reduce)",
    "Files",  # a DataTransfer type
    *("Home", "End", "Escape", "Tab", "Enter"),  # KeyboardEvent.key values
    *("Bias", "Logit", "Sum"),  # the ends of message keys (view.conv.summary.oneBias)
    # activation functions go by their English names in Chinese material too (network/elementwise.js)
    *("Leaky ReLU", "Sigmoid", "Swish", "Softplus", "Softsign", "Hard sigmoid"),
    "button, a, input, select, textarea, label, summary",  # the start of a selector (views/host.js)
    "neuron unit",  # class names (overview/columns.js)
}


def without_calls(text: str, pattern: re.Pattern) -> str:
    """`text` with the arguments of every call `pattern` finds removed (parentheses matched, across lines)."""
    out, at = [], 0
    for match in pattern.finditer(text):
        if match.start() < at:
            continue
        depth, end = 1, match.end()
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        out.append(text[at : match.end()] + "\n" * text.count("\n", match.end(), end) + ")")
        at = end
    return "".join(out) + text[at:]


# what the page says before the catalogs load, when the payload is missing or of another format (without i18n)
BEFORE_CATALOGS = {
    "main.js": {"The explainer's data (data/explainer.js) did not load, so there is nothing to show."},
    "network/network.js": {
        "The explainer's data holds no model description.",
        "The explainer's data is in format",
        ", but this page reads format",
        "build the site again with the same version of cnn-explain.",
    },
}


def english_literals(path) -> list[str]:
    """Each literal of the file at `path` that reads like English, as "line: 'text'"."""
    text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
    # the line numbers stay: removed arguments leave their line breaks
    text = without_calls(text, FOR_DEVELOPERS)
    found = []
    for line_number, line in enumerate(text.splitlines(), 1):
        line = CLASS_NAMES.sub(lambda m: m.group(1) + '""', line)
        for match in LITERAL.finditer(line):
            body = match.group(0)[1:-1]
            parts = re.split(r"\$\{[^}]*\}", body) if match.group(0)[0] == "`" else [body]
            for part in parts:
                part = part.strip()
                if part in NOT_WORDS or not part or CSS.search(part) or CLASS_LIST.match(part):
                    continue
                if WORDS.search(part) or WORD.match(part):
                    found.append(f"{line_number}: {part!r}")
    return found


def test_the_front_end_holds_no_interface_english():
    found = []
    for path in sorted(SOURCE.rglob("*.js")):
        relative = str(path.relative_to(SOURCE))
        allowed = {repr(text) for text in BEFORE_CATALOGS.get(relative, ())}
        found += [
            f"{relative}:{literal}" for literal in english_literals(path) if literal.split(": ", 1)[1] not in allowed
        ]
    assert found == [], "English interface text outside the catalogs:\n" + "\n".join(found)


def test_the_check_finds_english_where_there_is_some(tmp_path):
    planted = tmp_path / "planted.js"
    planted.write_text(
        'el.textContent = "Open image…";\n'
        "button.title = `Show ${name} in the network`;\n"
        'label.append("Draw");\n'
        'throw new Error("no layer named x");\n'
        "// a comment in English is fine\n"
        'node.dataset.testid = "upload-input";\n',
        encoding="utf-8",
    )
    assert [line.split(": ", 1)[1] for line in english_literals(planted)] == [
        "'Open image…'",
        "'Show'",
        "'in the network'",
        "'Draw'",
    ]
