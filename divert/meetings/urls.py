from django.urls import path

from divert.meetings import views

urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("<int:meeting_id>/print/", views.meeting_print, name="meeting-print"),
    path("<int:meeting_id>/attendance/", views.meeting_attendance, name="meeting-attendance"),
    path("<int:meeting_id>/close/", views.meeting_close, name="meeting-close"),
    path("<int:meeting_id>/items/", views.item_add, name="meeting-item-add"),
    path("items/<int:meeting_item_id>/", views.item_record, name="meeting-item"),
    path("items/<int:meeting_item_id>/correct/", views.item_correct, name="meeting-item-correct"),
    path(
        "actions/<int:action_item_id>/correct/",
        views.action_correct,
        name="meeting-action-correct",
    ),
    path("items/<int:meeting_item_id>/actions/", views.action_add, name="meeting-action-add"),
    path("actions/", views.action_list, name="meeting-actions"),
    path("actions/<int:action_item_id>/done/", views.action_done, name="meeting-action-done"),
]
