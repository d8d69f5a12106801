"""TensorFlow without its start-up noise (CUDA probing, oneDNN and XLA notices), unless --verbose asks for it."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading


def import_tensorflow() -> None:
    """Import TensorFlow; its C++ log lines are silenced unless the root logger shows debug messages (--verbose).

    Some of those lines are written to file descriptor 2 while TensorFlow is imported, before its logging is set
    up, so the import runs with that descriptor pointed at /dev/null; a Python exception raised by it still shows.
    """
    verbose = logging.getLogger().isEnabledFor(logging.DEBUG)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "0" if verbose else "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with _ctrl_c_after_import():
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


@contextlib.contextmanager
def _ctrl_c_after_import():
    """Hold Ctrl-C back while TensorFlow is imported and deliver it right after.

    A KeyboardInterrupt raised inside the import can be swallowed by the libraries it loads (seen in optree's
    dataclasses, under TensorFlow's own `import keras`): the build would then carry on as if nothing was pressed.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
