from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/export.xlsx", views.download, {"ext": "xlsx"}, name="xlsx"),
    path("<int:pk>/export.csv", views.download, {"ext": "csv"}, name="csv"),
]
