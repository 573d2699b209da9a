"""Business loans get a post-loan check within 30 days, then quarterly; beat reminds at 08:30."""

from django.db import migrations

from collection.defaults import seed_check_schedules
from loancenter.beat import schedule_daily


def seed(apps, schema_editor):
    seed_check_schedules(
        apps.get_model("applications", "LoanProduct"), apps.get_model("collection", "CheckSchedule")
    )
    schedule_daily(
        apps,
        name="贷后检查逾期提醒",
        task="collection.remind_overdue_checks",
        hour=8,
        minute=30,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0001_initial"),
        ("applications", "0005_customer_behaviour_updated_at_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
