from django.db import migrations

# Frozen copy of roles.ROLE_CODES at the time of this migration.
ROLE_CODES = [
    "loan_officer",
    "investigator",
    "reviewer",
    "approver",
    "director",
    "head_office",
    "mortgage_registrar",
    "disbursement_supervisor",
    "archivist",
    "collections_officer",
    "auditor",
]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for code in ROLE_CODES:
        Group.objects.get_or_create(name=code)


class Migration(migrations.Migration):
    dependencies = [
        ("loancenter", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
