from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/new/", views.unit_create, name="unit_create_root"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:parent_pk>/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("units/<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("units/<int:pk>/two-step/", views.second_factor_rule, name="second_factor_rule"),
    path("units/<int:cell_pk>/villages/new/", views.village_create, name="village_create"),
    path("villages/<int:pk>/edit/", views.village_edit, name="village_edit"),
    path("villages/<int:pk>/delete/", views.village_delete, name="village_delete"),
]
