"""The default application scorecard, version 1; see review/scorecard_defaults.py."""

from django.db import migrations

from review.scorecard_defaults import seed_default_scorecard


def seed(apps, schema_editor):
    seed_default_scorecard(
        apps.get_model("review", "Scorecard"),
        apps.get_model("review", "ScorecardRow"),
        apps.get_model("review", "GradeBand"),
    )


class Migration(migrations.Migration):
    dependencies = [("review", "0003_reviewopinion_departure_reason_scorecard_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
