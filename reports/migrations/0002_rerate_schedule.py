"""Beat re-rates every customer with a loan on the 1st of each month at 02:00 (Beijing time);
the time is editable in the admin."""

from django.db import migrations

from loancenter.beat import schedule_daily

NAME = "客户信用等级月度重评"


def schedule(apps, schema_editor):
    schedule_daily(apps, name=NAME, task="reports.rerate_customers", hour=2, day_of_month="1")


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
