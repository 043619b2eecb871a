"""The services directory in the admin: the administrator's own site only, read-only.

The directory changes through HSDS imports (and a service's places through its provider), so
the admin shows it, scoped by the access policy like every other admin screen.
"""

from django.contrib import admin

from divert.access import Kind
from divert.access.admin import PolicyAdmin
from divert.directory.models import Location, Organization, Schedule, Service


class DirectoryAdmin(PolicyAdmin, admin.ModelAdmin):
    policy_kind = Kind.DIRECTORY
    exclude = ("document",)

    def has_add_permission(self, request, *args) -> bool:
        return False  # a directory object arrives in an HSDS file

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "document"]


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0
    can_delete = False
    fields = ("byday", "opens_at", "closes_at", "utc_offset", "valid_from", "valid_to")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(DirectoryAdmin):
    list_display = ("name", "partner", "hsds_id")
    search_fields = ("name",)


@admin.register(Service)
class ServiceAdmin(DirectoryAdmin):
    list_display = ("name", "organization", "status", "capacity", "accepting_new", "waitlist")
    search_fields = ("name",)
    inlines = [ScheduleInline]


@admin.register(Location)
class LocationAdmin(DirectoryAdmin):
    list_display = ("__str__", "city", "hsds_id")
    search_fields = ("name", "address")
