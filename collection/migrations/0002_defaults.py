"""Business loans get a post-loan check within 30 days, then quarterly; beat reminds at 08:30."""

from django.db import migrations

from collection.defaults import seed_check_schedules


def seed(apps, schema_editor):
    seed_check_schedules(
        apps.get_model("applications", "LoanProduct"), apps.get_model("collection", "CheckSchedule")
    )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="8", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name="贷后检查逾期提醒",
        defaults={"task": "collection.remind_overdue_checks", "crontab": crontab},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0001_initial"),
        ("applications", "0005_customer_behaviour_updated_at_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
