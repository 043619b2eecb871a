import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from simple_history.models import HistoricalRecords

from divert.jurisdictions.models import Jurisdiction, Organization
from divert.staff.roles import Role


class StaffManager(UserManager):
    """`create_user(..., roles=["officer"])` grants the roles with the account."""

    def _create_user(self, username, email, password, **extra_fields):
        roles = extra_fields.pop("roles", ())
        with transaction.atomic():
            user = super()._create_user(username, email, password, **extra_fields)
            RoleGrant.objects.bulk_create(RoleGrant(user=user, role=Role(r)) for r in roles)
        return user


class User(AbstractUser):
    """A staff member. Belongs to one organization and holds one or more roles."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    phone = models.CharField(max_length=40, blank=True)
    badge = models.CharField(max_length=40, blank=True)
    on_call = models.BooleanField(
        default=False, help_text="Case manager currently taking hand-offs."
    )

    # Account changes are permission changes: kept and audited (CJIS). Role grants keep
    # their own history (RoleGrant).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = StaffManager()

    @property
    def jurisdiction(self) -> Jurisdiction | None:
        return self.organization.jurisdiction if self.organization_id else None

    @property
    def jurisdiction_id(self) -> int | None:
        return self.organization.jurisdiction_id if self.organization_id else None

    def role_set(self) -> frozenset[Role]:
        """The roles this account holds, read once per instance (once per request)."""
        if self.pk is None:
            return frozenset()
        cached = self.__dict__.get("_role_set")
        if cached is None:
            cached = frozenset(Role(r) for r in self.role_grants.values_list("role", flat=True))
            self.__dict__["_role_set"] = cached
        return cached

    def keep_roles(self, joined: str | None) -> None:
        """Take the roles from a query that read them with the account, as "a,b" (no role
        holds a comma)."""
        self.__dict__["_role_set"] = frozenset(Role(r) for r in (joined or "").split(",") if r)

    def forget_roles(self) -> None:
        self.__dict__.pop("_role_set", None)

    @property
    def roles(self) -> list[str]:
        return sorted(r.value for r in self.role_set())

    def has_role(self, role: Role) -> bool:
        return role in self.role_set()


class RoleGrant(models.Model):
    """One role held by one account. Granting and revoking are permission changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=[(r.value, r.label) for r in Role])
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_once_per_user")
        ]
        indexes = [models.Index(fields=["role", "user"])]

    def __str__(self) -> str:
        return f"{self.user} as {self.role}"


class ApiToken(models.Model):
    """A bearer token for another system, acting as one account within a scope, until it expires.

    Only its hash is stored. Tokens are issued by `divert.staff.services.api_token_issue`,
    which checks the issuer's site and audits the issue.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.JSONField(
        default=list, blank=True, help_text='What the token may do, e.g. ["screening:create"]'
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)

    def allows(self, action: str, kind: str) -> bool:
        return f"{kind}:{action}" in self.scopes
