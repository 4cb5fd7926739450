from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("unit/<int:pk>/", views.board, name="unit"),
    path("members/<int:pk>/timeline/", views.timeline, name="timeline"),
]
