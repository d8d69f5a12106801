"""Preview a built site over HTTP on the loopback interface, serving only the site's own files.

What the server made by `make_server` / `serve_folder` guarantees:

- it listens on 127.0.0.1 only, and answers only requests whose Host header is 127.0.0.1, localhost or [::1]
  (optionally with the server's own port); any other or missing Host gets 403, which defeats DNS rebinding;
- it allows GET and HEAD only (anything else: 405 with an Allow header);
- a malformed request target gets 400: bytes other than visible ASCII (NUL, controls, spaces, non-ASCII),
  bad percent-escapes, percent-escapes that are not UTF-8 or decode to NUL, controls or a backslash,
  backslashes, empty, "." or ".." segments, absolute URLs that are not http://<allowed host>/...;
- it serves only regular files whose real path (symlinks resolved) lies inside the folder with no component
  starting with "." (relative to the folder): dotfiles, symlinks leading outside, missing files and directories
  without an index.html get 404; there are no directory listings ("/dir" redirects to "/dir/");
- every response carries `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`, and the site's
  file types get fixed Content-Types (not the system's mime.types);
- requests are logged through `logging` at DEBUG; a client that disconnects mid-response is ignored silently.
"""

from __future__ import annotations

import errno
import functools
import http.server
import logging
import os
import re
import sys
import urllib.parse
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO

from .errors import ExplainError
from .output import MARKER, SITE, is_output

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
_METHODS = ("GET", "HEAD")
_HOST_NAMES = ("127.0.0.1", "localhost", "[::1]")
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_BAD_DECODED = re.compile(r"[\x00-\x1f\x7f\\]")


class _BadTarget(Exception):
    """The request target is malformed (answered with 400)."""


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".json": "application/json",
        ".txt": "text/plain; charset=utf-8",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".woff2": "font/woff2",
        ".bin": "application/octet-stream",
        ".wasm": "application/wasm",
    }
    error_message_format = "%(code)d %(message)s\n"
    error_content_type = "text/plain; charset=utf-8"
    timeout = 60  # seconds a silent client may hold a connection open
    _file = ""

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.command not in _METHODS:
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
            return False
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not self._allowed_host(hosts[0]):
            self.send_error(HTTPStatus.FORBIDDEN, "Host not allowed: use http://127.0.0.1:PORT/")
            return False
        return True

    def _allowed_host(self, host: str) -> bool:
        port = self.server.server_address[1]
        host = host.strip().lower()
        return any(host in (name, f"{name}:{port}") for name in _HOST_NAMES)

    def _target_path(self) -> str:
        """The percent-encoded path of the request target; raises _BadTarget if it is malformed."""
        target = self.path
        if not _VISIBLE_ASCII.fullmatch(target) or "\\" in target or _BAD_ESCAPE.search(target):
            raise _BadTarget
        if not target.startswith("/"):  # absolute-form: http://localhost:PORT/path
            parts = urllib.parse.urlsplit(target)
            if parts.scheme != "http" or not self._allowed_host(parts.netloc):
                raise _BadTarget
            target = parts.path or "/"
        return target.split("?", 1)[0].split("#", 1)[0]

    @staticmethod
    def _segments(path: str) -> list[str]:
        """The decoded segments of `path`, the last one "" for a trailing slash; raises _BadTarget."""
        try:
            decoded = urllib.parse.unquote(path, errors="strict")
        except UnicodeDecodeError:
            raise _BadTarget from None
        segments = decoded[1:].split("/")
        if _BAD_DECODED.search(decoded) or "" in segments[:-1] or {".", ".."} & set(segments):
            raise _BadTarget
        return segments

    def _inside(self, real: str) -> bool:
        """Whether the real path `real` is in the folder, and no component of it there starts with "."."""
        root = self.directory
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            return False
        return not any(part.startswith(".") for part in Path(os.path.relpath(real, root)).parts if part != ".")

    def send_head(self) -> BinaryIO | None:
        try:
            path = self._target_path()
            segments = self._segments(path)
        except _BadTarget:
            self.send_error(HTTPStatus.BAD_REQUEST, "Malformed path")
            return None
        real = os.path.realpath(os.path.join(self.directory, *segments))
        if os.path.isdir(real) and self._inside(real):
            if segments[-1]:  # "/dir" -> "/dir/" (path starts with a single "/", so this stays on this site)
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            real = os.path.realpath(os.path.join(real, "index.html"))
        elif not segments[-1]:
            real = ""  # a trailing slash after a file
        dotted = any(segment.startswith(".") for segment in segments)
        if dotted or not real or not self._inside(real) or not os.path.isfile(real):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        self._file = real
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return self._file  # checked by send_head, the only caller

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if self.command and self.command not in _METHODS:
            self.send_header("Allow", ", ".join(_METHODS))
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), (format % args).translate(self._control_char_table))


class _Server(http.server.ThreadingHTTPServer):
    allow_reuse_port = False  # never share the port with another program

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # the client went away mid-response
            log.debug("%s disconnected", client_address[0])
        else:
            log.error("error while answering %s", client_address[0], exc_info=True)


def make_server(folder: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """A server for the files of `folder` on 127.0.0.1 (port 0 picks a free port); see the module docstring."""
    handler = functools.partial(_Handler, directory=os.path.realpath(folder))
    return _Server((HOST, port), handler)


def serve_folder(folder: Path, port: int) -> None:
    """Serve `folder` on 127.0.0.1:`port` until interrupted; ExplainError if it is not a built site (only a
    build is previewed, never a folder such as `/` or `$HOME`) or the port cannot be used."""
    if not is_output(Path(folder), SITE):
        raise ExplainError(
            f"--dir {folder} is not a site built by cnn-explain (it has no {MARKER} marker of a finished build), so "
            f"serve will not show its files. Build it first: cnn-explain build --out {folder}"
        )
    try:
        server = make_server(folder, port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            other = port + 1 if port < 65535 else 8000
            raise ExplainError(
                f"port {port} is already in use on {HOST}: pass another one with --port (e.g. --port {other}), "
                "or stop the program using it"
            ) from None
        raise ExplainError(f"cannot listen on {HOST}:{port}: {error.strerror}: pass another one with --port") from None
    log.info("serving %s on http://%s:%d/ (Ctrl+C stops)", folder, HOST, server.server_address[1])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
