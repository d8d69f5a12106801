"""Reading a built site as the page reads it: its payload (data/explainer.js, docs/format.md)."""

from __future__ import annotations

import json
from pathlib import Path

PREFIX = "window.CNN_EXPLAIN="


def read_payload(site: Path) -> dict:
    """The payload of the site in folder `site`: the JSON that data/explainer.js assigns to window.CNN_EXPLAIN."""
    text = (Path(site) / "data" / "explainer.js").read_text(encoding="utf-8")
    if not text.startswith(PREFIX):
        raise ValueError(f"{site}/data/explainer.js does not start with {PREFIX}")
    return json.loads(text[len(PREFIX) :].rstrip().rstrip(";"))
