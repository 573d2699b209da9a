"""Seeding Celery beat's daily tasks from migrations; the time stays editable in the admin."""


def schedule_daily(
    apps, *, name: str, task: str, hour: int, minute: int = 0, day_of_month: str = "*"
) -> None:
    """A periodic task ``name`` running ``task`` at hour:minute Asia/Shanghai, every day or on
    ``day_of_month``. An administrator's later change of time is kept (created only once)."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")  # noqa: N806
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")  # noqa: N806
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute=str(minute),
        hour=str(hour),
        day_of_week="*",
        day_of_month=day_of_month,
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})
