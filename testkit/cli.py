"""The real `cnn-explain` command, as tests run it: the one installed beside the Python that runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CLI = Path(sys.executable).with_name("cnn-explain")


def run(*args: str, cwd: Path, timeout: float = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    """`cnn-explain *args` run in `cwd`, its output captured as text."""
    return subprocess.run([str(CLI), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def assert_refused(result: subprocess.CompletedProcess, *phrases: str) -> str:
    """The one error line of a refused command, after checking the refusal's form and that it names `phrases`."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    for phrase in phrases:
        assert phrase in errors[0], (phrase, errors[0])
    return errors[0]
