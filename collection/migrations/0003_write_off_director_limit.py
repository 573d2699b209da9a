"""The director approves write-offs up to 500,000.00 of principal; above it head office decides."""

from django.db import migrations

from loancenter.parameters import ensure


def seed(apps, schema_editor):
    ensure(
        apps.get_model("loancenter", "Parameter"),
        "write_off_director_limit",
        "500000.00",
        "核销审批:中心主任可批准的核销本金上限(元),超过上报总行",
    )


class Migration(migrations.Migration):
    dependencies = [("collection", "0002_defaults"), ("loancenter", "0005_parameters")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
