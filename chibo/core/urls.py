from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("trash/", views.trash, name="trash"),
    path("trash/<str:kind>/<int:pk>/restore/", views.restore, name="restore"),
]
