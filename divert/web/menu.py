"""The main menu: every page a person may open, computed from the pages' own access needs.

One list for everyone. A role sees an entry when the page's `@page` needs pass the access
policy for that user, so the menu and the page can never disagree.
"""

from typing import Any

from django.urls import NoReverseMatch, resolve, reverse

from divert.web.pages import reaches

# (label, url name), in the order a day's work reaches for them.
MENU = (
    ("Inbox", "inbox"),
    ("Caseload", "caseload"),
    ("Team", "team"),
    ("Waitlist", "waitlist"),
    ("Tasks", "tasks"),
    ("Alerts", "casework-alerts"),
    ("Services directory", "directory"),
    ("Places and waitlist", "directory-capacity"),
    ("Workgroup agenda", "workgroup-agenda"),
    ("Work group meetings", "meetings"),
    ("Action items", "meeting-actions"),
    ("Look up a person", "officer-lookup"),
    ("Refer someone", "community-referral"),
    ("Referrals", "partner-referrals"),
    ("Service referrals", "service-referrals"),
    ("Charge holds", "charge-holds"),
    ("Flexible funds", "funds"),
    ("Approval amount", "fund-rules"),
    ("Capacity", "capacity-refusals"),
    ("Program summary", "program-summary"),
    ("Scorecard", "program-scorecard"),
    ("Referral times", "referral-times"),
    ("Surveys", "surveys"),
    ("Link review", "link-review"),
    ("Merge review", "merge-review"),
    ("Justice record review", "justice-review"),
    ("Audit trail", "audit-log"),
)


def menu_for(user: Any, path: str = "") -> list[dict[str, Any]]:
    """The entries `user` may open, marking the one `path` is in."""
    if not user.is_authenticated:
        return []
    items = []
    for label, name in MENU:
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page this build does not serve
            url = None
        if url and reaches(user, resolve(url).func):
            items.append({"label": label, "url": url, "current": path.startswith(url)})
    return items


def navigation(request) -> dict[str, Any]:
    """Template context processor: the menu for the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user, request.path)}
