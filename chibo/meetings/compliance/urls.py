from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("<int:pk>/", views.report, name="report"),
]
