"""Five years' retention after settlement for every category; beat chases late returns at 09:15."""

from django.db import migrations

from archive.defaults import seed_retention_rules
from loancenter.beat import schedule_daily


def seed(apps, schema_editor):
    seed_retention_rules(apps.get_model("archive", "RetentionRule"))
    schedule_daily(
        apps, name="档案调阅逾期未还提醒", task="archive.remind_overdue_returns", hour=9, minute=15
    )


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
