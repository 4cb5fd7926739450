from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("unit/<int:pk>/", views.unit_page, name="unit"),
    path("unit/<int:pk>/open/", views.campaign_open, name="open"),
    path("campaign/<int:pk>/", views.campaign_board, name="campaign"),
    path("campaign/<int:pk>/cell/<int:cell_pk>/propose/", views.cell_propose, name="propose"),
    path("campaign/<int:pk>/cell/<int:cell_pk>/decide/", views.cell_decide, name="decide"),
    path(
        "campaign/<int:pk>/units/<int:parent_pk>/decide/",
        views.units_decide,
        name="units_decide",
    ),
    path("campaign/<int:pk>/override/", views.override, name="override"),
    path("campaign/<int:pk>/publish/", views.publish, name="publish"),
    path("campaign/<int:pk>/refresh/", views.refresh, name="refresh"),
    path("me/", views.self_assessment, name="me"),
    path("member/<int:pk>/", views.member_history, name="member"),
]
