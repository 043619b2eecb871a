"""The append-only, hash-chained audit log."""

from django.db import models


class AuditEntry(models.Model):
    """One audited event. Each entry carries the hash of the one before it.

    The actor is copied rather than referenced, so the trail outlives the account.
    """

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", "Allowed"
        DENIED = "denied", "Denied"
        SUCCESS = "success", "Succeeded"
        FAILURE = "failure", "Failed"

    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    actor = models.CharField(max_length=150, blank=True)
    jurisdiction_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=20)
    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    origin = models.CharField(max_length=100, blank=True, help_text="IP address or 'cli'")
    component = models.CharField(max_length=20, blank=True, help_text="page, api, cli, admin")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["kind", "object_id"]),
            models.Index(fields=["actor_id", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.kind}"


class AuditCheckpoint(models.Model):
    """A signed note that entry #`entry_id` had `entry_hash` at `at` (see audit/checkpoint.py).

    The `id` is the checkpoint's number, 1, 2, 3 … The signature is HMAC-SHA256 under the audit
    key, which is kept outside the database.
    """

    at = models.DateTimeField()
    entry_id = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"checkpoint #{self.pk}: entry #{self.entry_id} at {self.at:%Y-%m-%d %H:%M}"
