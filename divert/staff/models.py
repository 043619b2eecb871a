import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from divert.jurisdictions.models import Jurisdiction, Organization
from divert.staff.roles import Role


class User(AbstractUser):
    """A staff member. Belongs to one organization and holds one or more roles."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    roles = models.JSONField(default=list, blank=True, help_text='Role codes, e.g. ["officer"]')
    phone = models.CharField(max_length=40, blank=True)
    badge = models.CharField(max_length=40, blank=True)
    on_call = models.BooleanField(
        default=False, help_text="Case manager currently taking hand-offs."
    )

    # Role and account changes are permission changes: kept and audited (CJIS).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    @property
    def jurisdiction(self) -> Jurisdiction | None:
        return self.organization.jurisdiction if self.organization_id else None

    @property
    def jurisdiction_id(self) -> int | None:
        return self.organization.jurisdiction_id if self.organization_id else None

    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles if r in Role._value2member_map_)

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = [r for r in self.roles if r not in Role._value2member_map_]
        if unknown:
            raise ValidationError({"roles": f"unknown role(s): {', '.join(map(str, unknown))}"})


class ApiToken(models.Model):
    """A bearer token for other systems. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple["ApiToken", str]:
        token = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=cls.hash(token)), token
