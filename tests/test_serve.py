import threading
import urllib.request

from builder.serve import make_server


def test_serve_answers_on_loopback_with_the_site_files(tmp_path):
    (tmp_path / "index.html").write_text("<title>site</title>")
    server = make_server(tmp_path, 0)
    host, port = server.server_address[:2]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=5) as response:
            assert response.status == 200 and b"<title>site</title>" in response.read()
    finally:
        server.shutdown()
        server.server_close()
