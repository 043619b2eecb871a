"""The database cache of scored pairs for the merge and justice reviews (settings.CACHES
["linkage"], divert/linkage/cached.py)."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    # Creates each configured cache table that is missing; the dashboard's already exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    table = settings.CACHES["linkage"]["LOCATION"]
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("linkage", "0004_link_via_pair"), ("web", "0001_dashboard_cache")]
    operations = [migrations.RunPython(create, drop)]
