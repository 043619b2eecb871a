from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from divert.access.admin import PolicyAdmin
from divert.jurisdictions.models import (
    Area,
    HandoffWebhook,
    Jurisdiction,
    Organization,
    Precinct,
    StatuteMapping,
)


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


@admin.register(Jurisdiction)
class JurisdictionAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = ["name", "slug", "caseload_target", "caseload_cap"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AreaInline]


@admin.register(Area)
class AreaAdmin(PolicyAdmin, admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "lead_since"]
    list_filter = ["jurisdiction"]


@admin.register(Precinct)
class PrecinctAdmin(PolicyAdmin, admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "area"]
    list_filter = ["jurisdiction"]


@admin.register(Organization)
class OrganizationAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "jurisdiction", "phone"]
    list_filter = ["jurisdiction", "kind"]
    search_fields = ["name"]


@admin.register(StatuteMapping)
class StatuteMappingAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = ["statute", "nibrs", "description", "jurisdiction"]
    list_filter = ["jurisdiction", "nibrs"]
    search_fields = ["statute", "description"]


@admin.register(HandoffWebhook)
class HandoffWebhookAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = ("url", "jurisdiction", "active")
    list_filter = ("active",)
