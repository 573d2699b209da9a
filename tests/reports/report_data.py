"""Hand-chosen portfolio snapshots for the report tests (October 2026).

On 2026-10-31: principal outstanding 1,000,000.00, overdue 37,500.00 → overdue rate 3.75%
(past the 3.00% level); 次级 100,000.00 → NPL ratio 10.00%; interest due 3,000.00, received
2,900.00 → 96.67% (level 95, lower is worse: within); written off 5,000.00 → bad-debt 0.50%.
On 2026-09-30: 900,000.00, nothing overdue → both rates 0.00%.
"""

from datetime import date
from decimal import Decimal

from applications.models import LoanProduct
from loans.models import PortfolioSnapshot

START, END = date(2026, 10, 1), date(2026, 10, 31)


def seed_snapshots():
    housing = LoanProduct.objects.get(code="HOUSING")
    consumer = LoanProduct.objects.get(code="CONSUMER")
    rows = [
        (date(2026, 9, 30), housing, "normal", "", 9, "900000.00", "0", "0", "0", "0"),
        (END, housing, "normal", "", 8, "800000.00", "0", "3000.00", "2900.00", "0"),
        (END, housing, "special_mention", "M1", 1, "100000.00", "20000.00", "0", "0", "0"),
        (END, consumer, "substandard", "M3+", 1, "100000.00", "17500.00", "0", "0", "5000.00"),
    ]
    for day, product, cls, bucket, n, principal, overdue, due, received, written_off in rows:
        PortfolioSnapshot.objects.create(
            business_date=day,
            product=product,
            classification=cls,
            bucket=bucket,
            accounts=n,
            principal_outstanding=Decimal(principal),
            overdue_principal=Decimal(overdue),
            interest_due=Decimal(due),
            interest_received=Decimal(received),
            written_off_principal=Decimal(written_off),
        )
