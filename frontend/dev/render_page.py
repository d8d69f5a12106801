"""Dev tool: render site_templates/index.html.j2 into a folder made by make_fake_payload.mjs."""

import json
import sys
from pathlib import Path

import jinja2

site = Path(sys.argv[1])
root = Path(__file__).resolve().parents[2]
env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(root / "site_templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
spec = json.loads((site / "spec.json").read_text())
page = env.get_template("index.html.j2").render(
    title="CNN Explainer", description="dev", spec=spec, metrics={"accuracy": 0.9}, asset_version="dev"
)
(site / "index.html").write_text(page)
print(f"wrote {site / 'index.html'}")
