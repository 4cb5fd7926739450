from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("cell/<int:pk>/", views.cell_month, name="cell"),
    path("cell/<int:pk>/pay/", views.cell_pay, name="cell_pay"),
    path("cell/<int:pk>/post/", views.cell_post, name="cell_post"),
    path("member/<int:pk>/", views.member_ledger, name="member"),
    path("member/<int:pk>/pay/", views.member_pay, name="member_pay"),
    path("member/<int:pk>/basis/", views.member_basis, name="member_basis"),
    path("member/<int:pk>/waiver/", views.member_waiver, name="member_waiver"),
    path("payment/<int:pk>/delete/", views.payment_delete, name="payment_delete"),
    path("waiver/<int:pk>/delete/", views.waiver_delete, name="waiver_delete"),
    path("unit/<int:pk>/", views.unit_dues, name="unit"),
    path("unit/<int:pk>/statement/", views.statement, name="statement"),
]
