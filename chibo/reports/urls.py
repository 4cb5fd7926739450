from django.urls import include, path

from . import views
from .files import urls as file_urls
from .snapshots import urls as snapshot_urls

app_name = "reports"
urlpatterns = [
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/rows/<slug:key>/<str:path>/", views.rows, name="rows"),
    path("files/", include(file_urls)),
    path("snapshots/", include(snapshot_urls)),
]
