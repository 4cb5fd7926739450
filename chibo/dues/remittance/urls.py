from django.urls import path

from . import views

app_name = "dues_remittance"
urlpatterns = [
    path("unit/<int:pk>/", views.unit_report, name="unit"),
    path("unit/<int:pk>/record/", views.unit_record, name="record"),
    path("unit/<int:pk>/export.xlsx", views.unit_export, name="export"),
    path("<int:pk>/delete/", views.remittance_delete, name="delete"),
]
