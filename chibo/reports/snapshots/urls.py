"""Closing and re-opening a year; included by the reports URLs (namespace `reports`) at
`snapshots/`."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/<int:year>/close/", views.close, name="snapshot_close"),
    path("<int:pk>/<int:year>/reopen/", views.reopen, name="snapshot_reopen"),
]
