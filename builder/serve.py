"""Preview a built site over http on the loopback interface."""

from __future__ import annotations

import functools
import http.server
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def make_server(folder: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """An http server for `folder` on 127.0.0.1 (port 0 picks a free port)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve_folder(folder: Path, port: int) -> None:
    """Serve `folder` until interrupted."""
    server = make_server(folder, port)
    log.info("serving %s on http://127.0.0.1:%d/ (Ctrl+C stops)", folder, server.server_address[1])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
