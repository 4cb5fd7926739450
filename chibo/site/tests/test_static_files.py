"""Static files in production: hashed names, compressed copies, a ten-year cache lifetime;
and the default (demo, tests) that needs no collectstatic."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.test import Client, override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "chibo.core.staticfiles.HashedCompressedStorage"},
}


def test_default_serves_from_the_source_folders_without_collectstatic(client):
    assert settings.STATIC_MANIFEST is False and settings.WHITENOISE_USE_FINDERS
    response = client.get("/static/chibo.css")
    assert response.status_code == 200
    assert b"--bs-link-color" in b"".join(response.streaming_content)


@pytest.mark.slow
def test_production_files_are_hashed_compressed_and_cached_for_years(tmp_path):
    with override_settings(STORAGES=MANIFEST, STATIC_ROOT=tmp_path, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        html = engines["django"].from_string("{% load static %}{% static 'chibo.css' %}").render()
        assert re.fullmatch(r"/static/chibo\.[0-9a-f]{12}\.css", html), html
        assert (tmp_path / html.removeprefix("/static/")).exists()
        assert (tmp_path / (html.removeprefix("/static/") + ".gz")).exists()
        client = Client()  # a new handler: WhiteNoise reads the settings above
        response = client.get(html, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1]) >= 365 * 86400
        body = b"".join(response.streaming_content)
        plain = (settings.BASE_DIR / "chibo" / "static" / "chibo.css").stat().st_size
        assert len(body) < plain / 2


def test_pages_are_gzipped_for_browsers_that_ask(world, cast, client_for):
    c = client_for(cast.base_officer)
    url = f"/compliance/{world.base.pk}/"
    plain = c.get(url)
    zipped = c.get(url, headers={"accept-encoding": "gzip"})
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain and zipped["Content-Encoding"] == "gzip"
    assert len(zipped.content) < len(plain.content) / 3
