"""axe-core (frontend/node_modules/axe-core, from the lockfile) run on a page: its serious and critical findings."""

from __future__ import annotations

from .chromium import ROOT

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page, context: str = "document") -> list[str]:
    """axe-core's serious or critical violations on `page` (in the element a `context` selector names), one line
    each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        f"async () => await axe.run({context}, {{resultTypes: ['violations']}})"
        if context == "document"
        else f"async () => await axe.run(document.querySelector({context!r}), {{resultTypes: ['violations']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:4]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
