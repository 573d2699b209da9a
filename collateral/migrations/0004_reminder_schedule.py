"""Beat runs the registration reminder every morning; the time is editable in the admin."""

from django.db import migrations

from loancenter.beat import schedule_daily


def schedule(apps, schema_editor):
    schedule_daily(
        apps, name="抵押登记逾期提醒", task="collateral.remind_overdue_registrations", hour=9
    )


class Migration(migrations.Migration):
    dependencies = [
        ("collateral", "0003_notarisation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
