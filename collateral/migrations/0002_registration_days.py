from django.db import migrations

from loancenter.parameters import ensure


def seed(apps, schema_editor):
    ensure(
        apps.get_model("loancenter", "Parameter"), "collateral.registration_days", 30,
        "抵押登记须在签约后多少天内完成,逾期提醒办证岗",
    )


class Migration(migrations.Migration):
    dependencies = [("collateral", "0001_initial"), ("loancenter", "0005_parameters")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
