from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/rows/<slug:key>/<str:path>/", views.rows, name="rows"),
]
