"""The Django admin answers to the same access policy as pages, the API and exports."""

from divert.access.enforce import can, visible
from divert.access.kinds import Action, Kind


class PolicyAdmin:
    """Mix into a ModelAdmin: permissions and rows come from the access policy.

    A superuser (the platform's own administrator) passes; everyone else needs the role the
    matrix names for `policy_kind`, and sees only their own jurisdiction's rows.
    """

    policy_kind: Kind = Kind.CONFIGURATION

    def _allowed(self, request, action: Action) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or can(user, action, self.policy_kind))

    def has_module_permission(self, request) -> bool:
        return self._allowed(request, Action.VIEW)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request, Action.VIEW)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request, Action.CREATE)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request, Action.CHANGE)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request, Action.DELETE)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return visible(request.user, self.policy_kind, queryset)
