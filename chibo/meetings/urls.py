from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("mine/", views.my_meetings, name="mine"),
    path("cell/<int:pk>/", views.cell_meetings, name="cell"),
    path("cell/<int:pk>/schedule/", views.schedule_set, name="schedule_set"),
    path("cell/<int:pk>/plan/", views.meetings_plan, name="plan"),
    path("cell/<int:pk>/create/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/move/", views.meeting_move, name="move"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/freeze/", views.roster_freeze, name="freeze"),
    path("<int:pk>/attendance/<int:member_pk>/", views.attendance_mark, name="attendance"),
    path("<int:pk>/attendance/all/", views.attendance_all, name="attendance_all"),
    path("<int:pk>/guests/", views.guest_add, name="guest_add"),
    path("<int:pk>/guests/<int:guest_pk>/remove/", views.guest_remove, name="guest_remove"),
    path("<int:pk>/votes/", views.vote_record, name="vote"),
    path("<int:pk>/hold/", views.meeting_hold, name="hold"),
    path("<int:pk>/adopt/", views.meeting_adopt, name="adopt"),
    path("<int:pk>/amend/", views.meeting_amend, name="amend"),
]
urlpatterns += [
    path("<int:pk>/prepare/officers/", views.officers_set, name="officers"),
    path("<int:pk>/prepare/agenda/", views.agenda_save, name="agenda"),
    path("<int:pk>/prepare/agenda/reset/", views.agenda_reset, name="agenda_reset"),
    path("<int:pk>/prepare/agenda/add/", views.agenda_item_add, name="agenda_add"),
    path("<int:pk>/prepare/agenda/item/", views.agenda_item_change, name="agenda_item"),
    path("<int:pk>/prepare/resolution/", views.resolution_draft, name="resolution_draft"),
    path("<int:pk>/documents/", views.document_post, name="document_post"),
    path("<int:pk>/documents/<int:doc_pk>/", views.document_download, name="document"),
    path("<int:pk>/documents/<int:doc_pk>/remove/", views.document_remove, name="document_remove"),
    path("agenda-templates/<int:pk>/", views.agenda_templates, name="agenda_templates"),
]
urlpatterns += [
    path("<int:pk>/record/review/carry/", views.tasks_carry, name="tasks_carry"),
    path("<int:pk>/record/review/", views.task_review, name="task_review"),
    path("<int:pk>/record/tasks/", views.task_create, name="task_create"),
    path("<int:pk>/record/speeches/", views.speech_add, name="speech_add"),
    path("<int:pk>/record/dues/", views.dues_record, name="dues_record"),
    path("<int:pk>/record/proposals/", views.proposal_add, name="proposal_add"),
    path(
        "<int:pk>/record/proposals/<int:proposal_pk>/answer/",
        views.proposal_answer,
        name="proposal_answer",
    ),
    path("<int:pk>/quality/", views.quality_score, name="quality"),
    path("<int:pk>/quality/confirm/", views.quality_confirm, name="quality_confirm"),
]
