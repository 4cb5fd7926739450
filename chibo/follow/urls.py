from django.urls import path

from . import views

app_name = "follow"
urlpatterns = [
    path("cell/<int:pk>/", views.cell_followers, name="cell"),
    path("<int:pk>/finish/", views.finish, name="finish"),
]
