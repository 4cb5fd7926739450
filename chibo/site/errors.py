"""The 500 page. It must render when nothing else works (the database is down, a context
processor fails), so it is a self-contained template rendered without the request: no
context processors, no user, no query. Should even that fail, a few lines of plain HTML."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)

SUPPORTED = {code for code, _name in settings.LANGUAGES}

LAST_RESORT = (
    '<!doctype html><html lang="vi"><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Chibo</title><h1>Đã xảy ra lỗi</h1><p>Chibo không xử lý được yêu cầu này. "
    'Vui lòng thử lại sau.</p><p><a href="/">Về trang chủ</a></p></html>'
)


def server_error(request: HttpRequest) -> HttpResponseServerError:
    # The reader's language, even when the error came before the language middleware ran.
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in SUPPORTED:
        language = translation.get_language() or settings.LANGUAGE_CODE
    html: str
    try:
        with translation.override(language):
            html = render_to_string("500.html")
    except Exception:
        log.exception("The 500 page itself failed to render")
        html = LAST_RESORT
    return HttpResponseServerError(html)
