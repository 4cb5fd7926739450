"""The site's URLs plus views that fail, for the tests of the 500 page."""

from django.contrib.auth import get_user_model
from django.urls import path

from chibo.site.urls import handler500
from chibo.site.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("boom")


def boom_db(request):
    get_user_model().objects.count()  # the database is out of reach in the test
    raise AssertionError("the database answered")


def failing_processor(request):
    raise RuntimeError("context processor failed")


urlpatterns = [path("boom/", boom), path("boom-db/", boom_db), *site_urlpatterns]
