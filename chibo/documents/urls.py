from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("meetings/<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("meetings/<int:pk>/resolution.docx", views.resolution_docx, name="resolution_docx"),
    path(
        "dues/remittances/<int:pk>/receipt.docx",
        views.remittance_receipt,
        name="remittance_receipt",
    ),
    path("dues/payments/<int:pk>/receipt.docx", views.payment_receipt, name="payment_receipt"),
    path("evaluation/self/<int:pk>.docx", views.evaluation_self_docx, name="evaluation_self"),
]
