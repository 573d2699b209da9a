"""Beat publishes the outbox's waiting tasks every minute; the interval is editable in the admin."""

from django.db import migrations

NAME = "任务发件箱补发"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")  # noqa: N806
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")  # noqa: N806
    every_minute, _created = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        # a flush not picked up within the minute is dropped: the next one does the same work
        defaults={
            "task": "loancenter.flush_outbox",
            "interval": every_minute,
            "expire_seconds": 55,
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("loancenter", "0007_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
