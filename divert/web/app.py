"""The installable web app: its service worker (at the site root, so it covers every page)
and the offline shell the worker shows when there is no network.

What the worker keeps, and why only that, is in docs/offline.md.
"""

import hashlib
from functools import lru_cache

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from divert.casework.forms import ContactForm
from divert.casework.models import Contact

# The files the shell needs; all local (no CDN), none with anyone's data.
SHELL_STATIC = (
    "web/divert.css",
    "vendor/htmx.min.js",
    "web/offline.js",
    "casework/casework.css",
    "web/manifest.webmanifest",
    "web/icons/icon-192.png",
)


@lru_cache(maxsize=1)
def shell_version() -> str:
    """Changes whenever a shell file does, so phones drop the old copies."""
    digest = hashlib.sha256()
    for path in SHELL_STATIC:
        found = finders.find(path)
        if found:
            with open(found, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "web/sw.js",
        {
            "version": shell_version(),
            "offline_url": reverse("offline"),
            "static_urls": [static(path) for path in SHELL_STATIC],
        },
        content_type="text/javascript; charset=utf-8",
    )
    # The browser checks for a new worker on every visit; it must not keep an old one.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The same page for everyone, signed in or not: it is stored on shared phones."""
    request.user = AnonymousUser()
    form = ContactForm(initial={"place": Contact.Place.STREET, "kind": Contact.Kind.IN_PERSON})
    return render(request, "web/offline.html", {"form": form, "offline": True})
