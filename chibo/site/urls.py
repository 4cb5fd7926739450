"""The root URLs: each app's pages under its prefix, the API, and the site's own pages."""

from django.contrib import admin
from django.urls import include, path

from . import views

site_patterns = [
    path("", views.home, name="home"),
    path("trash/", views.trash, name="trash"),
    path("trash/<str:kind>/<int:pk>/restore/", views.restore, name="restore"),
]

# 403 and 404 are Django's own views with Chibo's templates (403.html, 404.html); the 500
# page renders without the database or the context processors (errors.py).
handler500 = "chibo.site.errors.server_error"

urlpatterns = [
    path("", include((site_patterns, "site"))),
    path("accounts/", include("chibo.accounts.urls")),
    path("org/", include("chibo.org.urls")),
    path("members/", include("chibo.members.urls")),
    path("import/", include("chibo.imports.urls")),
    path("meetings/", include("chibo.meetings.urls")),
    path("compliance/", include("chibo.meetings.compliance.urls")),
    path("documents/", include("chibo.documents.urls")),
    path("notices/", include("chibo.notices.urls")),
    path("follow/", include("chibo.follow.urls")),
    path("development/", include("chibo.development.urls")),
    path("rules/", include("chibo.rules.urls")),
    path("deadlines/", include("chibo.deadlines.urls")),
    path("badges/", include("chibo.badges.urls")),
    path("evaluation/", include("chibo.evaluation.urls")),
    path("dues/remittances/", include("chibo.dues.remittance.urls")),
    path("dues/", include("chibo.dues.urls")),
    path("reports/", include("chibo.reports.urls")),
    path("api/v1/", include("chibo.site.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
