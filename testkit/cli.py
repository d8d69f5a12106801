"""The real `cnn-explain` command, as tests run it: the one installed beside the Python that runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CLI = Path(sys.executable).with_name("cnn-explain")


def run(*args: str, cwd: Path, timeout: float = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    """`cnn-explain *args` run in `cwd`, its output captured as text."""
    return subprocess.run([str(CLI), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
