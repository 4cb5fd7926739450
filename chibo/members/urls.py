from django.urls import path

from .views import grants, records, transfers

app_name = "members"
urlpatterns = [
    path("", records.member_list, name="list"),
    path("export.xlsx", records.member_export, name="export"),
    path("new/", records.member_create, name="create"),
    path("<int:pk>/", records.member_detail, name="detail"),
    path("<int:pk>/edit/", records.member_edit, name="edit"),
    path("<int:pk>/delete/", records.member_delete, name="delete"),
    path("<int:pk>/transfer/", records.member_transfer, name="transfer"),
    path("<int:pk>/transfers/send/", transfers.transfer_send, name="transfer_send"),
    path("transfers/<int:pk>/", transfers.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/accept/", transfers.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/cancel/", transfers.transfer_cancel, name="transfer_cancel"),
    path("transfers/<int:pk>/end/", transfers.transfer_end, name="transfer_end"),
    path("transfers/unit/<int:pk>/", transfers.unit_transfers, name="transfers_unit"),
    path(
        "transfers/unit/<int:pk>/export.xlsx",
        transfers.unit_transfers_export,
        name="transfers_export",
    ),
    path("<int:pk>/events/new/", records.event_create, name="event_create"),
    path("events/<int:pk>/edit/", records.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", records.event_delete, name="event_delete"),
    path("<int:pk>/positions/new/", records.position_create, name="position_create"),
    path("positions/<int:pk>/edit/", records.position_edit, name="position_edit"),
    path("positions/<int:pk>/delete/", records.position_delete, name="position_delete"),
    path("<int:pk>/placements/new/", records.placement_create, name="placement_create"),
    path("placements/<int:pk>/edit/", records.placement_edit, name="placement_edit"),
    path("placements/<int:pk>/delete/", records.placement_delete, name="placement_delete"),
    path("units/<int:pk>/access/", grants.unit_access, name="unit_access"),
    path("units/<int:pk>/access/grant/", grants.grant_create, name="grant_create"),
    path("grants/<int:pk>/revoke/", grants.grant_revoke, name="grant_revoke"),
]
