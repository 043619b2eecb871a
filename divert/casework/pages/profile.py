"""The participant's page, and who has opened their record."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from divert.access import Action, Kind, can
from divert.casework.models import Enrollment
from divert.casework.profile import profile_get
from divert.casework.record_access import record_access_list
from divert.casework.task_forms import TaskForm
from divert.web.pages import page


@page((Action.VIEW, Kind.ENROLLMENT))
def profile(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    found = profile_get(user=request.user, enrollment_id=enrollment_id)
    task_form = None
    if can(request.user, Action.CREATE, Kind.TASK):
        task_form = TaskForm(user=request.user, initial={"enrollment_id": enrollment_id})
    return render(
        request,
        "casework/profile.html",
        {
            "p": found,
            "e": found.enrollment,
            "task_form": task_form,
            "can_refer": can(request.user, Action.CREATE, Kind.SERVICE_REFERRAL)
            and can(request.user, Action.VIEW, Kind.DIRECTORY),
        },
    )


@page((Action.VIEW, Kind.RECORD_ACCESS))
def record_access(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = get_object_or_404(Enrollment.objects.select_related("person"), pk=enrollment_id)
    entries = record_access_list(user=request.user, enrollment=enrollment)
    # An administrator audits access but reads no case: no name on the page.
    named = can(request.user, Action.VIEW, Kind.ENROLLMENT, enrollment)
    return render(
        request,
        "casework/record_access.html",
        {"enrollment": enrollment, "entries": entries, "named": named},
    )
