from django.urls import path

from divert.casework import views
from divert.casework.pages import caseload, inbox, profile, status, tasks, team

# Included at the site root: divert.web.urls already serves casework/ and casework/enrollments/.
urlpatterns = [
    path("workgroup/", views.workgroup, name="workgroup-agenda"),
    path("alerts/", views.alerts, name="casework-alerts"),
    path(
        "casework/enrollments/<int:enrollment_id>/intake/",
        status.intake,
        name="enrollment-intake",
    ),
    path(
        "casework/enrollments/<int:enrollment_id>/status/",
        status.status_page,
        name="enrollment-status",
    ),
    path("casework/", caseload.caseload, name="caseload"),
    path("casework/caseload.csv", caseload.caseload_csv, name="caseload-csv"),
    path("casework/team/", team.team, name="team"),
    path("casework/enrollments/<int:enrollment_id>/", profile.profile, name="enrollment"),
    path("casework/enrollments/<int:enrollment_id>/reassign/", team.reassign, name="reassign"),
    path(
        "casework/enrollments/<int:enrollment_id>/access/",
        profile.record_access,
        name="record-access",
    ),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/handoffs/", inbox.inbox_handoffs, name="inbox-handoffs"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task"),
    path("tasks/<int:task_id>/done/", tasks.task_done, name="task-done"),
]
