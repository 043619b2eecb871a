"""/metrics: Prometheus figures (django-prometheus), for administrators and allowed addresses.

Request latency and responses by route, exceptions, and database queries and their time.
Under `divert serve` every worker process writes its figures to a shared directory and
any one of them answers for all (prometheus_client's multiprocess mode).
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView

from divert.access import Action, Kind, require
from divert.audit.middleware import client_address


def _from_allowed_address(request) -> bool:
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in settings.DIVERT_METRICS_ALLOWED)


@never_cache
def metrics(request):
    if not _from_allowed_address(request):
        user = request.user
        if not user.is_authenticated:
            raise PermissionDenied("metrics are for administrators")
        if not (user.is_active and user.is_superuser):
            require(user, Action.VIEW, Kind.CONFIGURATION)  # audits a refusal
    return ExportToDjangoView(request)
