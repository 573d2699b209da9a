"""Default alert levels, and beat's monthly asset-quality report on the 1st at 06:00."""

from django.db import migrations

from loancenter.beat import schedule_daily
from reports.defaults import seed_alert_levels


def seed(apps, schema_editor):
    seed_alert_levels(apps.get_model("reports", "AlertLevel"))
    schedule_daily(
        apps,
        name="月度资产质量报告",
        task="reports.monthly_asset_quality_report",
        hour=6,
        day_of_month="1",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_dashboard_and_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
