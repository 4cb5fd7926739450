from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("unit/<int:pk>/", views.board, name="unit"),
    path("unit/<int:pk>/export.xlsx", views.board_export, name="export"),
    path("members/<int:pk>/timeline/", views.timeline, name="timeline"),
]
