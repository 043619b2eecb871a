from django.contrib import admin
from django.db.models import Q

from divert.access.admin import PolicyAdmin
from divert.access.kinds import Kind
from divert.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(PolicyAdmin, admin.ModelAdmin):
    """Read-only: the trail is appended to by the system, never edited."""

    policy_kind = Kind.AUDIT_LOG

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        user = request.user
        if user.is_superuser or user.organization_id is None:
            return queryset
        # A site's administrator reads its own entries and the site-less ones (logins).
        return queryset.filter(
            Q(jurisdiction_id=user.jurisdiction_id) | Q(jurisdiction_id__isnull=True)
        )

    list_display = ["id", "at", "actor", "action", "kind", "object_id", "outcome", "component"]
    list_filter = ["action", "kind", "outcome", "component"]
    search_fields = ["actor", "object_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
