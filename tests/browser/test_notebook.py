"""docs/notebook.ipynb, run headless as a user runs it (nbclient, a real kernel): it trains a small CNN with the
recorder, explains it inline and saves one file. The inline output, loaded into Chromium on its own, holds the
explainer in its frame, ready, with the recorded training curves."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import open_page

pytestmark = pytest.mark.browser

NOTEBOOK = Path(__file__).parents[2] / "docs" / "notebook.ipynb"


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("notebook")
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    notebook = nbformat.read(folder / NOTEBOOK.name, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    return notebook, folder


def test_the_notebook_records_explains_inline_and_saves_one_file(browser, ran):
    notebook, folder = ran
    assert (folder / "my-run" / "history.json").is_file() and (folder / "my-run" / "model.keras").is_file()
    assert (folder / "my-first-cnn.html").stat().st_size > 500_000
    (shown,) = [
        output["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]
    assert shown.startswith('<iframe srcdoc="')
    page, log = open_page(browser, "about:blank")
    page.set_content(shown)
    frame = page.frame_locator("iframe")
    frame.locator('[data-testid="prediction"]').wait_for(state="visible", timeout=60_000)
    inner = page.frames[1]
    inner.wait_for_function("() => window.explainer && window.explainer.ready", timeout=60_000)
    inner.evaluate("window.explainer.ready")
    recorded = json.loads((folder / "my-run" / "history.json").read_text())["epochs"]
    history = inner.evaluate("window.explainer.insights().then((i) => i.history)")
    assert history["epochs"]["loss"] == recorded["loss"] and len(history["epochs"]["val_accuracy"]) == 3
    layers = inner.evaluate("document.querySelectorAll('[data-layer]').length")
    assert layers > 0 and inner.evaluate("document.title") == "My first CNN"
    assert page.evaluate("typeof window.explainer") == "undefined", "the explainer stays in its frame"
    assert log.errors == [] and log.foreign_requests == []
    page.context.close()
