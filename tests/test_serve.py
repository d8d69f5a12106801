"""`cnn-explain serve` over real HTTP: raw requests on a socket, so paths are sent exactly as written."""

import logging
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from builder.errors import ExplainError
from builder.output import staged_output
from builder.serve import make_server, serve_folder

SECRET = "top-secret-4f1c9a"
INDEX = "<title>site</title>"
OWN_PORT = object()  # raw_get's default Host: 127.0.0.1:<the server's port>


def raw_get(port, path, host=OWN_PORT, method="GET", read=None):
    """Send one request with `path` (str, or bytes sent as they are) and return (status, headers, body).

    `host` None sends no Host header; `read` stops after that many bytes and resets the connection."""
    target = path if isinstance(path, bytes) else path.encode("latin-1")
    lines = [method.encode() + b" " + target + b" HTTP/1.1"]
    if host is not None:
        lines.append(b"Host: " + (f"127.0.0.1:{port}" if host is OWN_PORT else host).encode())
    lines.append(b"Connection: close")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
            if read is not None and len(data) >= read:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                return None
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("serve")
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "secret_dir").mkdir()
    (tmp_path / "secret_dir" / "index.html").write_text(SECRET)
    root = tmp_path / "site"
    files = {
        "index.html": INDEX,
        "js/app.js": "console.log('app');",
        "css/site.css": "body{}",
        "data/model.json": "{}",
        "data/weights.bin": "\x00\x01",
        "data/.hidden": SECRET,
        "fonts/a.woff2": "w",
        "img/a.png": "p",
        "wasm/a.wasm": "\x00asm",
        "sub/index.html": "<title>sub</title>",
        "nested/deeper/page.html": "<p>deep</p>",
        "no_index/notes.txt": "notes",
        ".env": SECRET,
        ".git/config": SECRET,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "outside.txt").symlink_to(tmp_path / "secret.txt")
    (root / "outside_dir").symlink_to(tmp_path / "secret_dir")
    (root / "inside.html").symlink_to("nested/deeper/page.html")
    (root / "env_link").symlink_to(".env")
    return root


@pytest.fixture(scope="module")
def port(site):
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        assert server.server_address[0] == "127.0.0.1"
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_root_serves_index_html_with_safety_headers(port):
    status, headers, body = raw_get(port, "/")
    assert (status, body.decode()) == (200, INDEX)
    assert headers["content-type"].startswith("text/html")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_error_responses_carry_safety_headers_and_plain_text(port):
    status, headers, _ = raw_get(port, "/missing.html")
    assert status == 404
    assert headers["content-type"].startswith("text/plain")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_nested_file_is_served(port):
    assert raw_get(port, "/nested/deeper/page.html")[::2] == (200, b"<p>deep</p>")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/js/app.js", "text/javascript"),
        ("/css/site.css", "text/css"),
        ("/data/model.json", "application/json"),
        ("/data/weights.bin", "application/octet-stream"),
        ("/fonts/a.woff2", "font/woff2"),
        ("/img/a.png", "image/png"),
        ("/wasm/a.wasm", "application/wasm"),
    ],
)
def test_site_file_types_get_their_content_type(port, path, content_type):
    status, headers, _ = raw_get(port, path)
    assert status == 200
    assert headers["content-type"].split(";")[0] == content_type


@pytest.mark.parametrize("path", ["/.env", "/.git/config", "/data/.hidden", "/.git/", "/env_link"])
def test_dotfiles_are_not_found(port, path):
    status, _, body = raw_get(port, path)
    assert status == 404
    assert SECRET.encode() not in body


def test_directory_without_index_is_not_listed(port):
    for path in ("/no_index/", "/data/"):
        status, _, body = raw_get(port, path)
        assert status == 404
        assert b"notes.txt" not in body and b"model.json" not in body and b"Directory listing" not in body


def test_directory_serves_its_index_and_redirects_without_slash(port):
    assert raw_get(port, "/sub/")[::2] == (200, b"<title>sub</title>")
    status, headers, _ = raw_get(port, "/sub")
    assert (status, headers["location"]) == (301, "/sub/")


def test_file_with_a_trailing_slash_is_not_found(port):
    assert raw_get(port, "/index.html/")[0] == 404


@pytest.mark.parametrize("path", ["/outside.txt", "/outside_dir/", "/outside_dir/index.html", "/outside_dir"])
def test_symlinks_leading_outside_are_not_found(port, path):
    status, _, body = raw_get(port, path)
    assert status == 404
    assert SECRET.encode() not in body


def test_symlink_to_a_file_inside_is_served(port):
    assert raw_get(port, "/inside.html")[::2] == (200, b"<p>deep</p>")


@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        b"/\x00",
        "/index.html%00.js",
        "/..%2f..%2fetc/passwd",
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/secret.txt",
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/./index.html",
        "/a\\..\\b",
        "/a%5c..%5cb",
        "/%ff",
        b"/\xff",
        "/%zz",
        "/index.html%",
        "/%2f%2fevil.example/",
        "http://evil.example/index.html",
        "https://localhost/index.html",
        "*",
    ],
)
def test_malformed_paths_are_bad_requests(port, path):
    status, _, body = raw_get(port, path)
    assert status == 400
    assert SECRET.encode() not in body and INDEX.encode() not in body


def test_absolute_url_for_this_server_is_served(port):
    assert raw_get(port, f"http://localhost:{port}/index.html")[::2] == (200, INDEX.encode())


@pytest.mark.parametrize("host", ["localhost:{port}", "LocalHost:{port}", "localhost", "127.0.0.1", "[::1]:{port}"])
def test_loopback_host_names_are_answered(port, host):
    assert raw_get(port, "/", host=host.format(port=port))[::2] == (200, INDEX.encode())


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1:{other}", "localhost.evil.example", "", None]
)
def test_other_hosts_are_forbidden(port, host):
    if host is not None:
        host = host.format(port=port, other=port + 1 if port < 65535 else 1)
    status, headers, body = raw_get(port, "/", host=host)
    assert status == 403
    assert headers["content-type"].startswith("text/plain")
    assert INDEX.encode() not in body and 0 < len(body) < 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
def test_only_get_and_head_are_allowed(port, method):
    status, headers, body = raw_get(port, "/index.html", method=method)
    assert status == 405
    assert headers["allow"] == "GET, HEAD"
    assert INDEX.encode() not in body


def test_head_sends_headers_without_body(port):
    status, headers, body = raw_get(port, "/index.html", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["content-length"] == str(len(INDEX))
    assert headers["content-type"].startswith("text/html")


def test_client_leaving_mid_response_prints_no_traceback(site, port, caplog, capfd):
    caplog.set_level(logging.DEBUG, logger="builder.serve")
    with open(site / "big.bin", "wb") as big:  # larger than the socket buffers, so the server is still writing
        big.truncate(64 * 1024 * 1024)
    raw_get(port, "/big.bin", read=1024)
    deadline = time.monotonic() + 10
    while not any("disconnected" in record.getMessage() for record in caplog.records):
        assert time.monotonic() < deadline, "the server never noticed the client leaving"
        time.sleep(0.05)
    assert "Traceback" not in capfd.readouterr().err


def test_busy_port_is_an_explain_error_naming_the_option(tmp_path):
    with staged_output(tmp_path / "site") as stage:
        (stage / "index.html").write_text(INDEX)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with pytest.raises(ExplainError) as error:
            serve_folder(tmp_path / "site", busy)
    message = str(error.value)
    assert "--port" in message and str(busy) in message and "\n" not in message


@pytest.mark.parametrize("folder", ["/", "home", "unmarked"])
def test_a_folder_that_is_not_a_build_is_not_served(tmp_path, folder):
    """`serve --dir /` would have served /etc/passwd on loopback to any local program or web page."""
    path = {"/": Path("/"), "home": Path.home(), "unmarked": tmp_path}[folder]
    (tmp_path / "index.html").write_text(INDEX)
    with pytest.raises(ExplainError, match="is not a site built by cnn-explain.*cnn-explain build --out"):
        serve_folder(path, 0)


@pytest.mark.skipif(os.name != "posix", reason="symlinks and dot names as on POSIX")
def test_site_inside_a_dot_folder_is_still_served(tmp_path):
    root = tmp_path / ".cache" / "site"
    root.mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    server = make_server(root, 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        assert raw_get(server.server_address[1], "/")[::2] == (200, INDEX.encode())
    finally:
        server.shutdown()
        server.server_close()
