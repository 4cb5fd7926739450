"""Vietnamese by default. The language switch sets a cookie; the API also honours
Accept-Language so that scripts can ask for English error messages."""

from django.conf import settings
from django.utils import translation

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED and request.path.startswith("/api/"):
            header = request.headers.get("Accept-Language", "")
            first = header.split(",")[0].split(";")[0].strip().lower()[:2]
            language = first if first in SUPPORTED else None
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
