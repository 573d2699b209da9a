"""Leave a tenth of each page free in the tables the nightly sweep rewrites (installments accrue
penalties, accounts and customers get their days past due): PostgreSQL then keeps the new row
version on the same page without touching the indexes (a HOT update). Applies to rows written
from now on; PostgreSQL only."""

from django.db import migrations

TABLES = ("loans_installment", "loans_loanaccount", "applications_customer")


def set_fillfactor(value):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {int(value)})")

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0006_drop_account_indexes_covered_by_unique"),
        ("applications", "0005_customer_behaviour_updated_at_and_more"),
    ]

    operations = [migrations.RunPython(set_fillfactor(90), set_fillfactor(100))]
