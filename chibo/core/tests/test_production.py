"""Production settings (CHIBO_ENV=production), in their own processes as a server runs them:
`check --deploy` is clean with only the secret key, the host names and a mail server set, and
`chibo serve` serves pages over the proxy's HTTPS with hashed, compressed static files."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHIBO_", "DATABASE_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        PYTHONPATH=str(BASE),  # this checkout, whatever the virtualenv's install points at
        CHIBO_ENV="production",
        CHIBO_DATA_DIR=str(tmp_path / "data"),
        CHIBO_SECRET_KEY="a-real-secret-" + "x7Qp2LmZ9vRt4WbN8cYd3KfH6sJg1EaU5oIy0TnVq" * 2,
        CHIBO_ALLOWED_HOSTS="chibo.example.vn",
        CHIBO_EMAIL_HOST="mail.example.vn",
    )
    env.update(extra)
    return env


def chibo(*args: str, env: dict[str, str], **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "chibo.cli", *args],
        env=env,
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


@pytest.mark.slow
def test_check_deploy_is_clean_in_production(tmp_path):
    run = chibo("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


@pytest.mark.slow
def test_production_refuses_to_start_without_the_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["CHIBO_SECRET_KEY"]
    run = chibo("check", "--deploy", env=env)
    assert run.returncode != 0
    assert "CHIBO_SECRET_KEY must be set in production" in run.stderr


@pytest.mark.slow
def test_check_deploy_names_what_is_turned_off(tmp_path):
    """A deployment that terminates TLS another way may turn each part off; the check says so."""
    env = production_env(tmp_path, CHIBO_SSL_REDIRECT="0", CHIBO_HSTS_SECONDS="0")
    run = chibo("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert run.returncode != 0
    assert "security.W008" in run.stderr + run.stdout  # SSL redirect
    assert "security.W004" in run.stderr + run.stdout  # HSTS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers={"Host": "chibo.example.vn", **headers})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.slow
def test_chibo_serve_in_production(tmp_path):
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    collected = chibo("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chibo.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        env=env,
        cwd=BASE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # The proxy on the same machine says the client came over HTTPS: served.
        status, headers, body = fetch(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 200, body[:500]
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert "script-src 'self';" in headers["Content-Security-Policy"]
        assert "Secure" in headers["Set-Cookie"]
        # Plain HTTP is sent to HTTPS.
        status, headers, _ = fetch(f"{base}/accounts/login/")
        assert status == 301
        assert headers["Location"] == "https://chibo.example.vn/accounts/login/"
        # The page names its CSS by content hash; it comes gzipped and cached for good.
        css = re.search(rb'href="(/static/chibo\.[0-9a-f]{12}\.css)"', body)
        assert css, body[:1000]
        status, headers, _ = fetch(
            base + css.group(1).decode(),
            **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"},
        )
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert b"gthread" in out
    assert b"Booting worker" in out
