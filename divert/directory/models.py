"""The services directory: the core of Open Referral HSDS 3.0, per site.

Each object keeps the HSDS document it arrived in (`document`), so an export gives back
exactly what was imported; the columns beside it are what divert searches and refers by.
"""

from django.db import models

from divert.jurisdictions.models import Jurisdiction
from divert.jurisdictions.models import Organization as SiteOrganization


class Form(models.IntegerChoices):
    """How complete a stored document is: a fuller form replaces a thinner one, never the
    reverse, so re-importing a list after a full object loses nothing."""

    NESTED = 1, "Nested in another object"
    LIST = 2, "A list item"
    FULL = 3, "A whole object"


class HsdsObject(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    hsds_id = models.CharField("HSDS id", max_length=100)
    document = models.JSONField()
    form = models.PositiveSmallIntegerField(choices=Form.choices)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organization(HsdsObject):
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    website = models.CharField(max_length=500, blank=True)
    email = models.CharField(max_length=300, blank=True)
    # The site's own record of the organization: releases name it, its staff log in to it.
    partner = models.ForeignKey(
        SiteOrganization, on_delete=models.PROTECT, related_name="directory_entries"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "hsds_id"], name="directory_organization_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Service(HsdsObject):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="services"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=30)
    eligibility_description = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # Not in HSDS: places open now, as the provider last said (empty: not known).
    capacity = models.PositiveIntegerField("open places", null=True, blank=True)
    accepting_new = models.BooleanField("accepting new clients", null=True, blank=True)
    waitlist = models.PositiveIntegerField("people on the waitlist", null=True, blank=True)
    capacity_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    capacity_updated_by = models.ForeignKey(
        "staff.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "hsds_id"], name="directory_service_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Location(HsdsObject):
    name = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=500, blank=True)
    city = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "hsds_id"], name="directory_location_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.address


class ServiceAtLocation(HsdsObject):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "hsds_id"], name="directory_sal_unique")
        ]


class Schedule(models.Model):
    """When a service is open (HSDS schedule, the weekly-hours part divert reads)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    hsds_id = models.CharField(max_length=100)
    freq = models.CharField(max_length=10, blank=True)
    byday = models.CharField(max_length=40, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    # HSDS `timezone`: the UTC offset, in hours, the hours are given in (empty: the site's zone).
    utc_offset = models.FloatField("UTC offset (hours)", null=True, blank=True)
    description = models.TextField(blank=True)

    @property
    def utc_offset_label(self) -> str:
        """ "UTC−05:00" for the schedule's own offset; "" when it keeps the site's zone."""
        if self.utc_offset is None:
            return ""
        minutes = round(abs(self.utc_offset) * 60)
        sign = "+" if self.utc_offset >= 0 else "\u2212"
        return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


class Language(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=20, blank=True)


class Category(models.Model):
    """A need the service meets: a taxonomy term attached to it (HSDS attribute)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="categories")
    taxonomy = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=300)


class ServiceArea(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=500)
