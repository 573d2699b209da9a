"""Default LPR table and products; see applications/defaults.py."""

from django.db import migrations

from applications.defaults import seed_defaults


def seed(apps, schema_editor):
    seed_defaults(
        apps.get_model("applications", "LoanPrimeRate"), apps.get_model("applications", "LoanProduct")
    )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
