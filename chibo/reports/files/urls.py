"""Included by the reports' URLs under their namespace, at files/: "reports:file_request"..."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.file_request, name="file_request"),
    path("<int:pk>/", views.file_status, name="file_status"),
    path("<int:pk>/download/", views.file_download, name="file_download"),
]
