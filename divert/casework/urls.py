from django.urls import path

from divert.casework import views
from divert.casework.pages import (
    caseload,
    contacts,
    inbox,
    notes,
    plan,
    profile,
    referral_times,
    releases,
    service_referrals,
    status,
    tasks,
    team,
    waitlist,
)

# Included at the site root: divert.web.urls already serves casework/ and casework/enrollments/.
_E = "casework/enrollments/<int:enrollment_id>"

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
    path("casework/waitlist/", waitlist.waitlist_page, name="waitlist"),
    path("casework/waitlist/add/", waitlist.waitlist_add, name="waitlist-add"),
    path(
        "casework/waitlist/<int:waitlist_entry_id>/assign/",
        waitlist.waitlist_assign,
        name="waitlist-assign",
    ),
    path(
        "casework/waitlist/<int:waitlist_entry_id>/remove/",
        waitlist.waitlist_remove,
        name="waitlist-remove",
    ),
    path("casework/enrollments/<int:enrollment_id>/", profile.profile, name="enrollment"),
    path("casework/enrollments/<int:enrollment_id>/reassign/", team.reassign, name="reassign"),
    path(
        "casework/enrollments/<int:enrollment_id>/access/",
        profile.record_access,
        name="record-access",
    ),
    path(f"{_E}/service-referrals/", service_referrals.refer, name="service-referral-new"),
    path("referrals/services/", service_referrals.referral_list, name="service-referrals"),
    path(
        "referrals/services/<int:service_referral_id>/",
        service_referrals.referral_move,
        name="service-referral-move",
    ),
    path("program/referral-times/", referral_times.referral_times_page, name="referral-times"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/handoffs/", inbox.inbox_handoffs, name="inbox-handoffs"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task"),
    path("tasks/<int:task_id>/done/", tasks.task_done, name="task-done"),
    # The plan and its goals.
    path(f"{_E}/plan/", plan.plan_page, name="casework-plan"),
    path(f"{_E}/plan/start/", plan.plan_create, name="casework-plan-create"),
    path(f"{_E}/plan/correct/", plan.plan_correct, name="casework-plan-correct"),
    path(f"{_E}/plan/history/", plan.plan_history, name="casework-plan-history"),
    path(f"{_E}/plan/goals/", plan.goal_add, name="casework-goal-add"),
    path("casework/goals/<int:goal_id>/", plan.goal_correct, name="casework-goal-correct"),
    path("casework/goals/<int:goal_id>/steps/", plan.step_add, name="casework-step-add"),
    path(
        "casework/goals/<int:goal_id>/history/",
        plan.goal_history,
        name="casework-goal-history",
    ),
    path("casework/steps/<int:step_id>/done/", plan.step_done, name="casework-step-done"),
    path(
        "casework/steps/<int:step_id>/history/",
        plan.step_history,
        name="casework-step-history",
    ),
    # Contacts, also logged offline (the form's shell is served by divert.web.app).
    path(f"{_E}/contacts/new/", contacts.contact_new, name="casework-contact-new"),
    path(
        "casework/contacts/<int:contact_id>/",
        contacts.contact_correct,
        name="casework-contact-correct",
    ),
    # Releases of information, their files (served only here), and what they share.
    path(f"{_E}/releases/", releases.release_list, name="casework-releases"),
    path(f"{_E}/releases/new/", releases.release_new, name="casework-release-new"),
    path("casework/releases/<int:release_id>/", releases.release_detail, name="casework-release"),
    path(
        "casework/releases/<int:release_id>/revoke/",
        releases.release_revoke,
        name="casework-release-revoke",
    ),
    path(
        "casework/releases/<int:release_id>/scan/",
        releases.release_attach,
        name="casework-release-attach",
    ),
    path(
        "casework/releases/<int:release_id>/signature.png",
        releases.release_signature,
        name="casework-release-signature",
    ),
    path(
        "casework/releases/<int:release_id>/form",
        releases.release_scan,
        name="casework-release-scan",
    ),
    path(f"{_E}/progress/", releases.progress, name="casework-progress"),
    # Case notes: corrections.
    path(
        "casework/notes/<int:note_id>/",
        notes.note_correct,
        name="casework-note-correct",
    ),
]
