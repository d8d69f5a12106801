"""TensorFlow without its start-up noise (CUDA probing, oneDNN and XLA notices), unless --verbose asks for it."""

from __future__ import annotations

import logging
import os


def import_tensorflow() -> None:
    """Import TensorFlow; its C++ log lines are silenced unless the root logger shows debug messages (--verbose).

    Some of those lines are written to file descriptor 2 while TensorFlow is imported, before its logging is set
    up, so the import runs with that descriptor pointed at /dev/null; a Python exception raised by it still shows.
    """
    verbose = logging.getLogger().isEnabledFor(logging.DEBUG)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "0" if verbose else "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if verbose:
        import tensorflow  # noqa: F401

        return
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    logging.getLogger("absl").setLevel(logging.ERROR)
