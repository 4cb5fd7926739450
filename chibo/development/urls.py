from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("unit/<int:pk>/", views.unit_board, name="board"),
    path("unit/<int:pk>/export.xlsx", views.unit_board_export, name="board_export"),
    path("candidates/new/", views.candidate_create, name="candidate_create"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("candidates/<int:pk>/<slug:step>/", views.candidate_step, name="candidate_step"),
    path("reviews/unit/<int:pk>/", views.reviews_board, name="reviews"),
    path("reviews/member/<int:pk>/", views.review_member, name="review_member"),
    path("reviews/<int:pk>/decide/", views.review_decide, name="review_decide"),
]
