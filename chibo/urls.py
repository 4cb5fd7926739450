from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("chibo.core.urls")),
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
    path("api/v1/", include("chibo.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
