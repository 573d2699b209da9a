"""Beat runs the overdue sweep at 01:00 Asia/Shanghai; the time is editable in the admin."""

from django.db import migrations


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="1", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name="逾期日终批处理",
        defaults={"task": "loans.run_overdue_sweep", "crontab": crontab},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0004_overdue_sweep"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
