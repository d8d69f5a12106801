"""The explainer as one HTML file (`cnn-explain build --single-file`): a built site with every file the page loads,
at once or later, inline, so it opens offline from disk or from an e-mail attachment.

Inline are: the payload, every language's header and article, the test-set insights, the app, the guided tour and
what-if bundles (and the WebAssembly backend when the site has one), as classic scripts in the order the page
needs them; the stylesheets as one style element, with KaTeX's fonts as data: URLs; the favicon as a data: URL. The
page's loader finds what an inline script already defined and loads nothing (frontend/src/ui/dom.js loadScript).
The content security policy allows exactly these scripts and this style, by their SHA-256, fonts from data: URLs,
and nothing from elsewhere but what the site's own policy allows (an image fetched by its address).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from .errors import ExplainError
from .output import OutputError
from .render import FEATURES, WASM_SCRIPT

PAYLOAD_VARIABLE = "CNN_EXPLAIN"  # data/explainer.js assigns window.CNN_EXPLAIN (render.py payload_script)
GENERATOR = "cnn-explain single-file page"  # in a <meta name="generator">: the file is the tool's to replace
FONT = re.compile(r"url\((fonts/[A-Za-z0-9_.-]+\.woff2)\)")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="app\.css\?v=[^"]*">')
ICON = re.compile(r'<link rel="icon" href="favicon\.svg" type="image/svg\+xml">')
SCRIPTS = re.compile(r'<script src="data/explainer\.js\?v=[^"]*"></script>\s*<script src="app\.js\?v=[^"]*"></script>')
PRELOADS = re.compile(r'<link rel="preload" href="[^"]*" as="script"[^>]*>\n?')  # of scripts the one file holds
POLICY = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(">)')


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CLOSING = re.compile(r"</(script)", re.IGNORECASE)


def _script_text(text: str) -> str:
    """`text` safe inside a <script> element: no "</script" can end it, no "<!--" bend its parsing (both occur only
    in strings here, where "<\\/" and "<\\!" read as "</" and "<!")."""
    return CLOSING.sub(r"<\\/\1", text).replace("<!--", "<\\!--")


def _style(site: Path) -> str:
    """The site's stylesheets, app's then the features', with its fonts as data: URLs."""
    css = "\n".join((site / f"{name}.css").read_text(encoding="utf-8") for name in ("app", *FEATURES))

    def inline(match: re.Match) -> str:
        data = base64.b64encode((site / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:font/woff2;base64,{data})"

    return FONT.sub(inline, css).replace("</", "<\\/")


def _payload(site: Path) -> str:
    """data/explainer.js, its features' stylesheets dropped (they are in the page's style), and training offered only
    by the site's folder."""
    prefix = f"window.{PAYLOAD_VARIABLE}="
    text = (site / "data" / "explainer.js").read_text(encoding="utf-8")
    payload = json.loads(text[len(prefix) : -2])
    for feature in payload.get("features", {}).values():
        feature["style"] = None
    if "script" in payload.get("training", {}):  # its images (megabytes) stay out of the one file
        payload["training"] = {"problem": "single-file"}
    return prefix + json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + ";\n"


def _scripts(site: Path) -> list[str]:
    """The page's scripts in the order they run: the payload and the data it loads later, the app, its features."""
    data = site / "data"
    scripts = [_payload(site)]
    scripts += [path.read_text(encoding="utf-8") for path in sorted(data.glob("language.*.js"))]
    if (data / "insights.js").is_file():
        scripts.append((data / "insights.js").read_text(encoding="utf-8"))
    if (site / WASM_SCRIPT).is_file():
        scripts.append((site / WASM_SCRIPT).read_text(encoding="utf-8"))
    scripts.append((site / "app.js").read_text(encoding="utf-8"))
    # they need app.js's modules
    scripts += [(site / f"{name}.js").read_text(encoding="utf-8") for name in ("explore", "runtime", *FEATURES)]
    return [_script_text(script) for script in scripts]


def single_file_page(site: Path) -> str:
    """The built site in folder `site` as one self-contained HTML page."""
    site = Path(site)
    html = (site / "index.html").read_text(encoding="utf-8")
    style = _style(site)
    scripts = _scripts(site)
    icon = base64.b64encode((site / "favicon.svg").read_bytes()).decode("ascii")
    for pattern, what in ((STYLESHEET, "stylesheet"), (ICON, "icon"), (SCRIPTS, "scripts"), (POLICY, "policy")):
        if len(pattern.findall(html)) != 1:
            raise ExplainError(f"{site / 'index.html'} does not hold the {what} a built site holds: build it again")
    html = PRELOADS.sub("", html)
    html = STYLESHEET.sub(lambda _: f"<style>{style}</style>", html)
    html = ICON.sub(lambda _: f'<link rel="icon" href="data:image/svg+xml;base64,{icon}" type="image/svg+xml">', html)
    inline = "\n".join(f"<script>{script}</script>" for script in scripts)
    html = SCRIPTS.sub(lambda _: inline, html)

    def policy(match: re.Match) -> str:
        directives = []
        for directive in match.group(2).split(";"):
            name, *sources = directive.split()
            if name == "script-src":
                sources = [_digest(script) for script in scripts] + [s for s in sources if s != "'self'"]
            elif name == "style-src":
                sources = [_digest(style)]
            elif name == "font-src":
                sources = ["data:"]
            elif name == "img-src":
                sources = [s for s in sources if s != "'self'"]
            directives.append(" ".join([name, *sources]))
        return match.group(1) + "; ".join(directives) + match.group(3)

    html = POLICY.sub(policy, html)
    return html.replace(
        '<meta charset="utf-8">', f'<meta charset="utf-8">\n<meta name="generator" content="{GENERATOR}">'
    )


def check_single_file(path: Path) -> None:
    """Raise OutputError when writing `path` could lose something of the user's: it is a folder, or a file this tool
    did not write, or its folder does not exist."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise OutputError(f"--single-file {path}: name the page with .html at the end")
    if not path.parent.is_dir():
        raise OutputError(f"--single-file {path}: the folder {path.parent} does not exist")
    if path.is_dir() or (path.exists() and not path.is_file()):
        raise OutputError(f"--single-file {path} is a folder, not a file: name a new .html file")
    if path.is_file():
        with path.open("rb") as file:
            head = file.read(4096).decode("utf-8", "replace")
        if GENERATOR not in head:
            raise OutputError(
                f"--single-file {path} exists and was not written by cnn-explain: it is left as it is; "
                "name a new file, or move that one away"
            )


def write_single_file(site: Path, path: Path) -> int:
    """Write the site in folder `site` as one page at `path` (checked with check_single_file), replacing it only
    once the page is whole; returns its size in bytes."""
    check_single_file(path)
    page = single_file_page(site).encode("utf-8")
    path = Path(path)
    handle, scratch = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(page)
        mask = os.umask(0)  # mkstemp makes the file private; a page is as readable as any file the user writes
        os.umask(mask)
        os.chmod(scratch, 0o666 & ~mask)
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return len(page)


__all__ = ["GENERATOR", "check_single_file", "single_file_page", "write_single_file"]
