from django.contrib import admin

from divert.access.admin import PolicyAdmin
from divert.access.kinds import Kind
from divert.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(PolicyAdmin, admin.ModelAdmin):
    """Read-only: the trail is appended to by the system, never edited."""

    policy_kind = Kind.AUDIT_LOG

    list_display = ["id", "at", "actor", "action", "kind", "object_id", "outcome", "component"]
    list_filter = ["action", "kind", "outcome", "component"]
    search_fields = ["actor", "object_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
