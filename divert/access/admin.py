"""The Django admin answers to the same access policy as pages, the API and exports."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from divert.access.enforce import can, platform_wide, visible
from divert.access.kinds import Action, Kind
from divert.access.tenancy import in_jurisdiction, jurisdiction_of, jurisdiction_path


def site_choices(user, model: type[Model], queryset):
    """Narrow a form's choices of `model` to the user's own site (all sites for the platform)."""
    if platform_wide(user, Kind.CONFIGURATION):
        return queryset
    try:
        jurisdiction_path(model)
    except Exception:
        return queryset  # not a site record (content types, permissions): left to the form
    return queryset.filter(in_jurisdiction(model, user.jurisdiction_id))


class PolicyAdmin:
    """Mix into a ModelAdmin: permissions, rows and choices come from the access policy.

    A superuser (the platform's own administrator) passes; everyone else needs the role the
    matrix names for `policy_kind`, sees only their own jurisdiction's rows, picks only
    their own jurisdiction's records in forms, and cannot save a record into another site.
    """

    policy_kind: Kind = Kind.CONFIGURATION

    def _allowed(self, request, action: Action) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or can(user, action, self.policy_kind))

    def has_module_permission(self, request) -> bool:
        return self._allowed(request, Action.VIEW)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request, Action.VIEW)

    def has_add_permission(self, request, *args) -> bool:
        return self._allowed(request, Action.CREATE)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request, Action.CHANGE)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request, Action.DELETE)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if platform_wide(request.user, self.policy_kind):
            return queryset
        return visible(request.user, self.policy_kind, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = site_choices(request.user, db_field.related_model, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = site_choices(request.user, db_field.related_model, field.queryset)
        return field

    def save_model(self, request, obj, form, change) -> None:
        refuse_other_site(request.user, obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        refuse_other_site(request.user, obj)
        super().delete_model(request, obj)


def refuse_other_site(user, obj: Model) -> None:
    """Refuse to write a record that would belong to a site other than the user's."""
    if platform_wide(user, Kind.CONFIGURATION):
        return
    site = jurisdiction_of(obj)
    if site != user.jurisdiction_id or site is None:
        from divert.access.kinds import kind_of_model
        from divert.audit.services import audit_record

        audit_record(
            action=Action.CHANGE.value,
            kind=kind_of_model(type(obj)),
            object_id=obj.pk or "",
            jurisdiction_id=site,
            outcome="denied",
            user=user,
            detail={"reason": "another site"},
        )
        raise PermissionDenied("you administer only your own site")
