"""Work group meeting pages. Thin: a service or the selector, then a template.

Forms carry a `client_id` made when the page was drawn, so a double tap makes one record.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from divert.access import Action, Kind, can
from divert.apitypes import EARLIEST_YEAR, INT64, LATEST_YEAR
from divert.casework import corrections
from divert.casework.models import Enrollment
from divert.errors import field_errors
from divert.jurisdictions.clock import site_today
from divert.meetings import selectors, services
from divert.meetings.models import MeetingItem
from divert.web.pages import page


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _date(value: str | None):
    import datetime

    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else None


def _int(value: str | None) -> int | None:
    """An id as posted; None when it is not a number a database column could hold."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and number in INT64 else None


# Errors not about one field of the form (a closed meeting, a reused id) show above it.
_FORM_WIDE = {"", "meeting_id", "client_id"}


def _errors(exc: ValidationError) -> dict[str, str]:
    return {
        "form" if e["field"] in _FORM_WIDE else e["field"]: e["message"] for e in field_errors(exc)
    }


@page((Action.VIEW, Kind.MEETING))
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] = {}
    if request.method == "POST":
        held_on = _date(request.POST.get("held_on"))
        try:
            with transaction.atomic():
                meeting, _ = services.meeting_create(
                    user=user,
                    held_on=held_on,
                    attendee_ids=[_int(v) or 0 for v in request.POST.getlist("attendees")],
                    guests=request.POST.get("guests", ""),
                    seed=True,
                    client_id=_uuid(request.POST.get("client_id")),
                )
        except ValidationError as exc:
            errors = _errors(exc)
            if held_on is None and request.POST.get("held_on"):
                errors["held_on"] = "Give the date as a calendar date."
        else:
            messages.success(request, f"Meeting opened for {meeting.held_on}.")
            return redirect("meeting", meeting_id=meeting.pk)
    may_create = can(user, Action.CREATE, Kind.MEETING)
    context: dict[str, Any] = {
        "meetings": services.meeting_list(user=user)[:100],
        "may_create": may_create,
        "today": site_today(user.jurisdiction),
        "errors": errors,
        "client_id": uuid.uuid4(),
        "posted": request.POST,
    }
    if may_create:
        context["staff"] = services.site_staff(user=user)
    return render(request, "meetings/list.html", context, status=422 if errors else 200)


def _meeting_page(
    request: HttpRequest,
    meeting_id: int,
    errors: dict | None = None,
    form: str = "",
    status: int | None = None,
    notice: str = "",
) -> HttpResponse:
    """The meeting page; to htmx, only its record (rows and the forms adding to them).

    htmx swaps what it is sent only on a 2xx, so there a refusal answers 200 with the
    fields named, as the plan page does."""
    user = request.user
    view = selectors.meeting_view(user=user, meeting_id=meeting_id)
    context: dict[str, Any] = {
        "m": view,
        "errors": errors or {},
        "form": form,
        "posted": request.POST if errors else {},
        "client_id": uuid.uuid4(),
        "notice": notice,
    }
    if view.may_run:
        context["staff"] = services.site_staff(user=user)
        context["attending"] = set(
            services.meeting_get(user=user, meeting_id=meeting_id).attendees.values_list(
                "pk", flat=True
            )
        )
        # Those on the meeting already, whether or not this reader sees their rows: the
        # picker must not name who was discussed to a reader who may not read it.
        on = set(
            MeetingItem.objects.filter(meeting_id=meeting_id).values_list(
                "enrollment_id", flat=True
            )
        )
        context["participants"] = (
            Enrollment.objects.filter(jurisdiction_id=user.jurisdiction_id)
            .exclude(status="exited")
            .exclude(pk__in=on)
            .select_related("person")
            .order_by("person__last_name", "person__first_name", "pk")[:500]
        )
    if view.may_run or any(row.may_correct for row in view.items):
        context["owners"] = {
            row.id: services.action_owners(user=user, item=_item(row.id))
            for row in view.items
            if row.may_record or row.may_correct
        }
    if request.htmx:
        return render(request, "meetings/_record.html", context)
    return render(
        request, "meetings/meeting.html", context, status=status or (422 if errors else 200)
    )


def _done(request: HttpRequest, meeting_id: int, notice: str, anchor: str) -> HttpResponse:
    """After a write: htmx redraws the record in place; without JavaScript, a redirect."""
    if request.htmx:
        return _meeting_page(request, meeting_id, notice=notice)
    messages.success(request, notice)
    return redirect(f"/meetings/{meeting_id}/#{anchor}")


def _item(pk: int):
    from divert.meetings.models import MeetingItem

    return MeetingItem.objects.select_related("enrollment").get(pk=pk)


@page((Action.VIEW, Kind.MEETING))
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, meeting_id)


@page((Action.CHANGE, Kind.MEETING))
@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = services.meeting_get(user=request.user, meeting_id=meeting_id, action=Action.CHANGE)
    try:
        with transaction.atomic():
            services.meeting_update(
                user=request.user,
                meeting=meeting,
                attendee_ids=[_int(v) or 0 for v in request.POST.getlist("attendees")],
                guests=request.POST.get("guests", ""),
            )
    except ValidationError as exc:
        return _meeting_page(request, meeting.pk, _errors(exc), "attendance")
    messages.success(request, "Attendance saved.")
    return redirect("meeting", meeting_id=meeting.pk)


@page((Action.CHANGE, Kind.MEETING))
@require_POST
def meeting_close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = services.meeting_get(user=request.user, meeting_id=meeting_id, action=Action.CHANGE)
    services.meeting_close(user=request.user, meeting=meeting)
    messages.success(request, "Meeting closed: its record is now read-only.")
    return redirect("meeting", meeting_id=meeting.pk)


@page((Action.CREATE, Kind.MEETING_ITEM))
@require_POST
def item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = services.meeting_get(user=request.user, meeting_id=meeting_id, action=Action.CHANGE)
    try:
        with transaction.atomic():
            item, _ = services.item_add(
                user=request.user,
                meeting=meeting,
                enrollment_id=_int(request.POST.get("enrollment_id")) or 0,
                summary=request.POST.get("summary", ""),
                decisions=request.POST.get("decisions", ""),
                legal=request.POST.get("legal", ""),
                client_id=_uuid(request.POST.get("client_id")),
            )
    except ValidationError as exc:
        return _meeting_page(request, meeting.pk, _errors(exc), "add")
    return _done(request, meeting.pk, f"Recorded: {item.enrollment.person}", f"item-{item.pk}")


@page((Action.CHANGE, Kind.MEETING_ITEM))
@require_POST
def item_record(request: HttpRequest, meeting_item_id: int) -> HttpResponse:
    item = services.item_get(
        user=request.user, meeting_item_id=meeting_item_id, action=Action.CHANGE
    )
    try:
        with transaction.atomic():
            services.item_record(
                user=request.user,
                item=item,
                summary=request.POST.get("summary", ""),
                decisions=request.POST.get("decisions", ""),
                legal=request.POST.get("legal", ""),
            )
    except ValidationError as exc:
        return _meeting_page(request, item.meeting_id, _errors(exc), f"record-{item.pk}")
    messages.success(request, f"Recorded: {item.enrollment.person}")
    return redirect(f"/meetings/{item.meeting_id}/#item-{item.pk}")


def _version(value: str | None) -> int | None:
    """The version the correction form was drawn from; None unless a whole number above 0."""
    number = _int(value)
    return number if number and number > 0 else None


# A version that is not a number is a malformed form (422), not someone else's change (409).
BAD_VERSION = "version: give the version you opened, a whole number above 0; open the page again."


@page((Action.CHANGE, Kind.MEETING_ITEM))
@require_POST
def item_correct(request: HttpRequest, meeting_item_id: int) -> HttpResponse:
    item = services.item_get(
        user=request.user, meeting_item_id=meeting_item_id, action=Action.CHANGE
    )
    form = f"correct-{item.pk}"
    version = _version(request.POST.get("version"))
    if version is None:
        return _meeting_page(request, item.meeting_id, {"form": BAD_VERSION}, form, status=422)
    try:
        services.item_correct(
            user=request.user,
            item=item,
            summary=request.POST.get("summary", ""),
            decisions=request.POST.get("decisions", ""),
            legal=request.POST.get("legal", ""),
            version=version,
            reason=request.POST.get("reason", ""),
        )
    except corrections.Conflict as exc:
        return _meeting_page(request, item.meeting_id, {"form": exc.summary()}, form, status=409)
    except ValidationError as exc:
        return _meeting_page(request, item.meeting_id, _errors(exc), form)
    messages.success(request, f"Correction saved: {item.enrollment.person}")
    return redirect(f"/meetings/{item.meeting_id}/#item-{item.pk}")


@page((Action.CHANGE, Kind.ACTION_ITEM))
@require_POST
def action_correct(request: HttpRequest, action_item_id: int) -> HttpResponse:
    action = services.action_get(
        user=request.user, action_item_id=action_item_id, action=Action.CHANGE
    )
    meeting_id = action.item.meeting_id
    form = f"correct-action-{action.pk}"
    version = _version(request.POST.get("version"))
    if version is None:
        return _meeting_page(request, meeting_id, {"form": BAD_VERSION}, form, status=422)
    try:
        services.action_correct(
            user=request.user,
            action=action,
            description=request.POST.get("description", ""),
            owner_id=_int(request.POST.get("owner_id")),
            due_on=_date(request.POST.get("due_on")),
            version=version,
            reason=request.POST.get("reason", ""),
        )
    except corrections.Conflict as exc:
        return _meeting_page(request, meeting_id, {"form": exc.summary()}, form, status=409)
    except ValidationError as exc:
        return _meeting_page(request, meeting_id, _errors(exc), form)
    messages.success(request, f"Correction saved: {action.description}")
    return redirect(f"/meetings/{meeting_id}/#item-{action.item_id}")


@page((Action.CREATE, Kind.ACTION_ITEM))
@require_POST
def action_add(request: HttpRequest, meeting_item_id: int) -> HttpResponse:
    item = services.item_get(
        user=request.user, meeting_item_id=meeting_item_id, action=Action.CHANGE
    )
    due_on = _date(request.POST.get("due_on"))
    try:
        with transaction.atomic():
            services.action_add(
                user=request.user,
                item=item,
                description=request.POST.get("description", ""),
                owner_id=_int(request.POST.get("owner_id")),
                due_on=due_on,
                client_id=_uuid(request.POST.get("client_id")),
            )
    except ValidationError as exc:
        return _meeting_page(request, item.meeting_id, _errors(exc), f"action-{item.pk}")
    return _done(
        request,
        item.meeting_id,
        f"Action item added for {item.enrollment.person}.",
        f"item-{item.pk}",
    )


@page((Action.VIEW, Kind.ACTION_ITEM))
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    show_done = request.GET.get("done") == "1"
    found = services.action_list(
        user=request.user, owner_id=request.user.pk, include_done=show_done
    )
    return render(
        request,
        "meetings/actions.html",
        {
            "actions": selectors.actions_as_read(request.user, found[:200]),
            "show_done": show_done,
            "today": site_today(request.user.jurisdiction),
        },
    )


@page((Action.CHANGE, Kind.ACTION_ITEM))
@require_POST
def action_done(request: HttpRequest, action_item_id: int) -> HttpResponse:
    action = services.action_get(
        user=request.user, action_item_id=action_item_id, action=Action.CHANGE
    )
    done = request.POST.get("done", "1") == "1"
    with transaction.atomic():
        services.action_done(user=request.user, action=action, done=done)
    [shown] = selectors.actions_as_read(request.user, [action])
    notice = f"{'Done' if done else 'Opened again'}: {shown.description}"
    if request.htmx:  # from the meeting page: its record redrawn in place
        return _meeting_page(request, action.item.meeting_id, notice=notice)
    messages.success(request, notice)
    target = request.POST.get("next", "")
    safe = target.startswith("/") and not target.startswith("//")
    return redirect(target if safe else "meeting-actions")


@page((Action.VIEW, Kind.MEETING))
@require_GET
def meeting_print(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The minutes on paper: exactly what this reader may see of the meeting (one audited
    read), with a print stylesheet; `?format=pdf` the same page through WeasyPrint."""
    view = selectors.meeting_view(user=request.user, meeting_id=meeting_id)
    context = {
        "m": view,
        "printed_by": request.user.get_full_name() or request.user.username,
        "printed_on": site_today(request.user.jurisdiction),
    }
    if request.GET.get("format") != "pdf":
        return render(request, "meetings/print.html", context)
    from divert.meetings.minutes import minutes_pdf

    response = HttpResponse(minutes_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meeting-{view.held_on}.pdf"'
    return response
