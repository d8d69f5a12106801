"""Dev tool: render site_templates/index.html.j2 into a folder made by make_fake_payload.mjs."""

import json
import shutil
import sys
from pathlib import Path

site = Path(sys.argv[1])
root = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(root))
from builder.render import BUNDLE_FOLDERS, FRONTEND_BUNDLE, template_environment  # noqa: E402

env = template_environment()
for folder in BUNDLE_FOLDERS:
    shutil.copytree(FRONTEND_BUNDLE / folder, site / folder, dirs_exist_ok=True)
spec = json.loads((site / "spec.json").read_text())
page = env.get_template("index.html.j2").render(
    title="CNN Explainer", description="dev", spec=spec, metrics={"accuracy": 0.9}, asset_version="dev"
)
(site / "index.html").write_text(page)
print(f"wrote {site / 'index.html'}")
