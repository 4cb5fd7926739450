from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/status/", views.status, name="status"),
]
