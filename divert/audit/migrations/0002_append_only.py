"""Make the audit table append-only in the database itself, not just in the application."""

from django.db import migrations

from divert.audit import guard


def install(apps, schema_editor):
    guard.install(schema_editor.connection, tables=("audit_auditentry",))


def remove(apps, schema_editor):
    guard.remove(schema_editor.connection, tables=("audit_auditentry",))


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
