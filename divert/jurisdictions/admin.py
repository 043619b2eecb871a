from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from divert.jurisdictions.models import Area, Jurisdiction, Organization, Precinct, StatuteMapping


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


@admin.register(Jurisdiction)
class JurisdictionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "caseload_target", "caseload_cap"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AreaInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "lead_since"]
    list_filter = ["jurisdiction"]


@admin.register(Precinct)
class PrecinctAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "area"]
    list_filter = ["jurisdiction"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "jurisdiction", "phone"]
    list_filter = ["jurisdiction", "kind"]
    search_fields = ["name"]


@admin.register(StatuteMapping)
class StatuteMappingAdmin(SimpleHistoryAdmin):
    list_display = ["statute", "nibrs", "description", "jurisdiction"]
    list_filter = ["jurisdiction", "nibrs"]
    search_fields = ["statute", "description"]
