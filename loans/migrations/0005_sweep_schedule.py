"""Beat runs the overdue sweep at 01:00 Asia/Shanghai; the time is editable in the admin."""

from django.db import migrations

from loancenter.beat import schedule_daily


def schedule(apps, schema_editor):
    schedule_daily(apps, name="逾期日终批处理", task="loans.run_overdue_sweep", hour=1)


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0004_overdue_sweep"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
