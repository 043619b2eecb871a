"""The dashboards' shared cache table (settings.CACHES["dashboard"], a DatabaseCache)."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def _tables() -> list[str]:
    return [
        c["LOCATION"]
        for c in settings.CACHES.values()
        if c["BACKEND"].endswith("DatabaseCache")
    ]


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    for table in _tables():
        schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies: list = []
    operations = [migrations.RunPython(create, drop)]
