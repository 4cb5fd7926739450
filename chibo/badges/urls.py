from django.urls import path

from . import views

app_name = "badges"
urlpatterns = [
    path("unit/<int:pk>/", views.unit_list, name="unit"),
    path("unit/<int:pk>/award/", views.unit_award, name="award"),
    path("unit/<int:pk>/export.xlsx", views.unit_export, name="export"),
    path("unit/<int:pk>/awards/", views.unit_history, name="history"),
    path("occasions/", views.occasion_list, name="occasions"),
    path("occasions/<int:pk>/delete/", views.occasion_delete, name="occasion_delete"),
]
