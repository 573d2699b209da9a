"""Default authority limits; see review/defaults.py."""

from django.db import migrations

from review.defaults import seed_defaults


def seed(apps, schema_editor):
    seed_defaults(apps.get_model("auth", "Group"), apps.get_model("review", "AuthorityLimit"))


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial"), ("loancenter", "0002_role_groups")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
