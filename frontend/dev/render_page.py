"""Dev tool: render the page of a folder that holds a payload (data/explainer.js), as a build or
make_fake_payload.mjs writes it, with the builder's own rendering code: index.html, the front-end bundle and the
files the page links to. The page's text comes from site_templates/ (so a template or catalog edit shows without a
build); its class names, titles and language from the payload, when it has them.

    ../.venv/bin/python dev/render_page.py /tmp/fake      (from frontend/)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from builder.i18n import DEFAULT_LANGUAGE, class_names, load_catalogs  # noqa: E402
from builder.render import LOCALES, Page, write_page  # noqa: E402
from testkit.site import read_insights, read_payload  # noqa: E402


def page_of(site: Path) -> Page:
    """The page of the site in folder `site`, from its payload, metrics.json and data/insights.js."""
    payload = read_payload(site)
    spec = payload["spec"]
    catalogs = load_catalogs(LOCALES)
    i18n = payload.get("i18n") or {"language": DEFAULT_LANGUAGE, "languages": {}}
    languages = {}
    for code, catalog in catalogs.items():
        given = i18n["languages"].get(code, {})
        languages[code] = {
            "messages": catalog,
            "classes": given.get("classes") or class_names(catalog, spec["classes"]),
            "title": given.get("title") or catalog["page.title.model"].replace("{model}", spec["name"]),
        }
    metrics = site / "metrics.json"
    return Page(
        spec,
        languages,
        i18n["language"] if i18n["language"] in languages else DEFAULT_LANGUAGE,
        json.loads(metrics.read_text(encoding="utf-8")) if metrics.is_file() else None,
        read_insights(site) if (site / "data" / "insights.js").is_file() else None,
        "wasm" if "wasm" in payload else "cpu",
    )


def main() -> None:
    if len(sys.argv) != 2 or not (Path(sys.argv[1]) / "data" / "explainer.js").is_file():
        sys.exit(
            "usage: render_page.py SITE, a folder with data/explainer.js (node dev/make_fake_payload.mjs makes one)"
        )
    site = Path(sys.argv[1])
    write_page(site, page_of(site))
    print(f"wrote {site / 'index.html'}")


if __name__ == "__main__":
    main()
