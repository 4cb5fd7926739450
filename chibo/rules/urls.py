from django.urls import path

from . import views

app_name = "rules"
urlpatterns = [
    path("", views.rules_index, name="index"),
    path("new/", views.version_new, name="new"),
    path("days/", views.working_days, name="days"),
    path("days/<int:pk>/delete/", views.day_change_delete, name="day_delete"),
]
