"""The dashboard's figures against hand-computed values on seeded snapshot rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import LoanProduct
from loancenter.models import Parameter
from loans.models import PortfolioSnapshot
from reports import figures
from reports.defaults import seed_alert_levels
from reports.models import AlertLevel, Figure, OfficerTarget

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def levels(db):
    seed_alert_levels(AlertLevel)
    return {level.figure: level for level in AlertLevel.objects.all()}


@pytest.fixture
def product(origination):
    return LoanProduct.objects.order_by("pk").first()


def snap(product, on, classification="normal", bucket="", **numbers):
    defaults = {"accounts": 1, "principal_outstanding": D("0.00")}
    defaults.update({k: D(v) if isinstance(v, str) else v for k, v in numbers.items()})
    return PortfolioSnapshot.objects.create(
        business_date=on, product=product, classification=classification, bucket=bucket, **defaults
    )


@pytest.fixture
def book(product):
    """1,000,000.00 outstanding on 2026-03-31: 37,500.00 overdue, 25,000.00 non-performing."""
    on = date(2026, 3, 31)
    snap(
        product,
        on,
        accounts=8,
        principal_outstanding="940000.00",
        interest_due="9000.00",
        interest_received="8800.00",
    )
    snap(
        product,
        on,
        "special_mention",
        "M1",
        accounts=1,
        principal_outstanding="35000.00",
        overdue_principal="12500.00",
        interest_due="1000.00",
        interest_received="400.00",
    )
    snap(
        product,
        on,
        "substandard",
        "M3+",
        accounts=1,
        principal_outstanding="25000.00",
        overdue_principal="25000.00",
        written_off_principal="0.00",
    )
    # an earlier day in the same month: 10,000.00 written off, interest 2,000.00 / 1,800.00
    snap(
        product,
        date(2026, 3, 15),
        accounts=9,
        principal_outstanding="990000.00",
        interest_due="2000.00",
        interest_received="1800.00",
        written_off_principal="10000.00",
    )
    return on


def test_the_book_adds_up_the_snapshot_rows_of_one_day(book):
    result = figures.book_on(book)
    assert result.accounts == 10
    assert result.principal_outstanding == D("1000000.00")
    assert result.overdue_principal == D("37500.00")
    assert result.overdue_rate == D("3.75")
    assert result.npl_ratio == D("2.50")
    assert result.by_class["special_mention"] == {"accounts": 1, "principal": D("35000.00")}
    assert result.by_bucket["M3+"] == {"accounts": 1, "principal": D("25000.00")}


def test_the_period_figures_use_every_snapshot_of_the_month(book):
    span = figures.period(date(2026, 3, 1), book)
    # interest received 8,800 + 400 + 1,800 = 11,000 of 9,000 + 1,000 + 2,000 = 12,000
    assert span.interest_collection_rate == D("91.67")
    # written off 10,000.00 against 1,000,000.00 closing principal
    assert span.bad_debt_rate == D("1.00")


def test_the_alerts_colour_each_figure_against_its_level(book, levels):
    result = {
        a.figure: a
        for a in figures.alerts(figures.book_on(book), figures.period(date(2026, 3, 1), book))
    }
    assert (result[Figure.OVERDUE_RATE].value, result[Figure.OVERDUE_RATE].state) == (
        D("3.75"),
        "alert",
    )
    assert result[Figure.OVERDUE_RATE].level == D("3.00")
    assert result[Figure.NPL_RATIO].state == "alert"  # 2.50 > 2.00
    assert result[Figure.INTEREST_COLLECTION].state == "alert"  # 91.67 < 95.00
    assert result[Figure.BAD_DEBT_RATE].state == "warning"  # 1.00: at the level, not past it


@pytest.mark.parametrize(
    ("value", "state"),
    [("2.49", "ok"), ("2.50", "ok"), ("2.51", "warning"), ("3.00", "warning"), ("3.01", "alert")],
)
def test_a_higher_is_worse_figure_turns_amber_within_the_margin_and_red_past_the_level(
    levels, value, state
):
    assert figures.alert_state(D(value), levels[Figure.OVERDUE_RATE]) == state


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("96.00", "ok"),
        ("95.50", "ok"),
        ("95.49", "warning"),
        ("95.00", "warning"),
        ("94.99", "alert"),
    ],
)
def test_the_interest_collection_rate_is_worse_when_lower(levels, value, state):
    assert figures.alert_state(D(value), levels[Figure.INTEREST_COLLECTION]) == state


def test_a_figure_without_a_divisor_is_unknown(levels):
    assert figures.alert_state(None, levels[Figure.NPL_RATIO]) == "unknown"
    empty = figures.alerts(
        figures.book_on(None), figures.period(date(2026, 3, 1), date(2026, 3, 31))
    )
    assert {alert.state for alert in empty} == {"unknown"}


def test_the_trend_takes_the_last_snapshot_of_each_month(product):
    snap(product, date(2026, 1, 30), principal_outstanding="100000.00", overdue_principal="1000.00")
    snap(product, date(2026, 1, 31), principal_outstanding="200000.00", overdue_principal="3000.00")
    snap(
        product,
        date(2026, 1, 31),
        "doubtful",
        "M3+",
        principal_outstanding="50000.00",
        overdue_principal="50000.00",
    )
    snap(product, date(2026, 2, 28), principal_outstanding="400000.00", overdue_principal="2000.00")
    points = figures.trends(date(2026, 2, 28))
    assert [p.on for p in points] == [date(2026, 1, 31), date(2026, 2, 28)]
    # January: 53,000 of 250,000 overdue, 50,000 non-performing
    assert (points[0].overdue_rate, points[0].npl_ratio) == (D("21.20"), D("20.00"))
    assert (points[1].overdue_rate, points[1].npl_ratio) == (D("0.50"), D("0.00"))
    assert figures.trends(None) == []


def account_rows(officer, rows, supervisor=None):
    """Loan accounts written straight to the table: (principal, value date) per row."""
    from loans.models import LoanAccount
    from tests.origination import draft

    accounts = []
    for principal, value_date in rows:
        application = draft(officer, product_code="CONSUMER", security_type="credit")
        accounts.append(
            LoanAccount.objects.create(
                number=f"IOU{application.pk:08d}",
                application=application,
                customer=application.customer,
                product=application.product,
                officer=officer,
                principal=D(principal),
                annual_rate=D("3.6000"),
                penalty_uplift_percent=D("50.00"),
                repayment_method="equal_installment",
                term_months=12,
                value_date=value_date,
                maturity_date=value_date + timedelta(days=365),
                principal_outstanding=D(principal),
                repayment_account="6222020200112233445",
                disbursed_by=supervisor or officer,
            )
        )
    return accounts


def test_the_officer_progress_sums_this_years_disbursements_against_the_target(
    loan_officer, other_officer, make_user
):
    account_rows(
        loan_officer,
        [
            ("300000.00", date(2026, 2, 1)),
            ("100000.00", date(2026, 5, 1)),
            ("999999.00", date(2025, 12, 31)),
        ],
    )
    OfficerTarget.objects.create(officer=loan_officer, year=2026, amount=D("800000.00"), accounts=5)
    OfficerTarget.objects.create(officer=other_officer, year=2026, amount=D("500000.00"))
    rows = {row.officer_id: row for row in figures.officer_progress(2026)}
    assert rows[loan_officer.pk].disbursed == D("400000.00")
    assert rows[loan_officer.pk].loans == 2
    assert rows[loan_officer.pk].percent_reached == D("50.00")
    assert rows[other_officer.pk].disbursed == D("0.00")
    assert rows[other_officer.pk].percent_reached == D("0.00")


def test_the_officer_progress_adds_the_loans_disbursed_since_the_nightly_count(
    loan_officer, other_officer
):
    from reports.models import OfficerYearTotal

    account_rows(loan_officer, [("300000.00", date(2026, 2, 1)), ("999999.00", date(2025, 6, 1))])
    assert figures.count_officer_totals(date(2026, 11, 28)) == 1
    stored = OfficerYearTotal.objects.get(year=2026, officer=loan_officer)
    assert (stored.amount, stored.loans) == (D("300000.00"), 1)
    # Disbursed after the count: added from the accounts, not counted twice.
    account_rows(loan_officer, [("100000.00", date(2026, 11, 29))])
    account_rows(other_officer, [("50000.00", date(2026, 11, 29))])
    rows = {row.officer_id: row for row in figures.officer_progress(2026)}
    assert (rows[loan_officer.pk].disbursed, rows[loan_officer.pk].loans) == (D("400000.00"), 2)
    assert (rows[other_officer.pk].disbursed, rows[other_officer.pk].loans) == (D("50000.00"), 1)
    # A second count replaces the first.
    figures.count_officer_totals(date(2026, 11, 29))
    assert OfficerYearTotal.objects.get(year=2026, officer=loan_officer).amount == D("400000.00")
    rows = {row.officer_id: row for row in figures.officer_progress(2026)}
    assert rows[loan_officer.pk].disbursed == D("400000.00")


def test_service_levels_default_and_follow_the_parameters(db):
    assert figures.service_levels()["surveying"] == 5
    Parameter.objects.create(key="sla_days_surveying", value=D("7"), description="")
    assert figures.service_levels()["surveying"] == 7


def test_the_pipeline_counts_amounts_and_late_applications_per_stage(
    loan_officer, investigator, origination
):
    from tests.origination import submitted, surveyed

    late = submitted(loan_officer, amount=D("300000.00"))
    surveyed(loan_officer, investigator, amount=D("500000.00"))
    stages = {stage.status: stage for stage in figures.pipeline(timezone.now())}
    assert (stages["submitted"].count, stages["submitted"].amount) == (1, D("300000.00"))
    assert (stages["reviewing"].count, stages["reviewing"].amount) == (1, D("500000.00"))
    assert stages["submitted"].past_service_level == 0
    later = figures.pipeline(timezone.now() + timedelta(days=3))
    assert {s.status: s.past_service_level for s in later}["submitted"] == 1
    assert late.status == "submitted"
    # the surveyed one left "submitted" and "surveying" moments after entering them
    assert stages["surveying"].average_days == D("0.0")
