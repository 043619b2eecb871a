"""Pages declare what they need from the access policy; the menu reads the same declaration.

`@page((Action.VIEW, Kind.ENROLLMENT))` refuses anyone the policy refuses (the refusal is
audited) and records the needs on the view, so `divert.web.menu` can offer a page to exactly
the people the page itself would let in.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required

from divert.access import Action, Kind, can, require

Need = tuple[Action, Kind]


def page(*needs: Need) -> Callable:
    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(request, *args: Any, **kwargs: Any):
            for action, kind in needs:
                # What the page then reads is audited where it reads it.
                require(request.user, action, kind, audit=False)
            return view(request, *args, **kwargs)

        guarded = login_required(checked)
        guarded.needs = needs
        return guarded

    return wrap


def reaches(user: Any, view: Callable) -> bool:
    """Whether `user` may open the page served by `view` (one decorated with `page`)."""
    needs = getattr(view, "needs", None)
    if needs is None:
        raise TypeError(f"{view.__module__}.{view.__name__} does not declare its needs with @page")
    return user.is_authenticated and all(can(user, action, kind) for action, kind in needs)
