"""The scorecard validation report: grades on the book and the bad rate per grade.

Six loans, each scored last with the grade shown; "bad" is an installment ever 90 or more days
past due. Installments not named were paid on their due dates.

    loan  grade  behaviour                         bad
    1     A      all on time                       no
    2     A      #1 paid 89 days late              no  (one day short)
    3     B      #1 paid 95 days late              yes
    4     B      scored A first, then B; on time   no  (the latest score counts)
    5     C      #1 never paid (due 4–5 months ago) yes
    6     —      no score                          no

    grade     loans  share    bad  bad rate
    A         2      33.33    0    0.00
    B         2      33.33    1    50.00
    C         1      16.67    1    100.00
    unscored  1      16.67    0    0.00
    total     6      100.00   2    33.33
"""

import csv
from datetime import timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from loancenter.repayment import add_months
from loans.models import Installment
from reports.selectors import validation_report
from review.models import ApplicationScore, GradeBand, Scorecard
from tests.servicing import consumer_account

D = Decimal
EXPECTED = [
    ("A", 2, D("33.33"), 0, D("0.00")),
    ("B", 2, D("33.33"), 1, D("50.00")),
    ("C", 1, D("16.67"), 1, D("100.00")),
    ("", 1, D("16.67"), 0, D("0.00")),
]
EXPECTED_TOTAL = (6, D("100.00"), 2, D("33.33"))


def score(application, grade, scorecard):
    return ApplicationScore.objects.create(
        application=application,
        scorecard=scorecard,
        trigger=ApplicationScore.REVIEW,
        amount=application.amount,
        term_months=application.term_months,
        total={"A": 730, "B": 700, "C": 600}[grade],
        grade=grade,
        decision="approve",
        max_amount=D("1000000.00"),
        spread_bp=0,
        breakdown=[],
    )


def history(account, *, late=None, unpaid=False):
    """Every installment due so far paid on its due date, except #1: ``late`` days late, or
    never paid."""
    today = timezone.localdate()
    for item in Installment.objects.filter(account=account, due_date__lte=today):
        days = late if item.period == 1 and late is not None else 0
        paid_on = None if item.period == 1 and unpaid else item.due_date + timedelta(days=days)
        Installment.objects.filter(pk=item.pk).update(paid_off_on=paid_on)


@pytest.fixture
def book(
    origination, scorecard, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    value_date = add_months(timezone.localdate().replace(day=1), -5)

    def loan():
        return consumer_account(
            loan_officer, investigator, reviewer, approver, disbursement_supervisor,
            value_date=value_date,
        )  # fmt: skip

    loans = [loan() for _ in range(6)]
    for account, grade in zip(loans[:5], ["A", "A", "B", "A", "C"], strict=True):
        score(account.application, grade, scorecard)
    score(loans[3].application, "B", scorecard)
    ApplicationScore.objects.filter(application=loans[5].application).delete()
    history(loans[0])
    history(loans[1], late=89)
    history(loans[2], late=95)
    history(loans[3])
    history(loans[4], unpaid=True)
    history(loans[5])
    return loans


def figures(rows):
    return [(row.grade, row.loans, row.share, row.bad, row.bad_rate) for row in rows]


def test_the_figures_match_the_hand_computed_table(book):
    report = validation_report()

    assert figures(report.rows) == EXPECTED
    total = report.total
    assert (total.loans, total.share, total.bad, total.bad_rate) == EXPECTED_TOTAL


def test_it_can_be_limited_to_one_scorecard_version(book, scorecard):
    other = Scorecard.objects.create(version=99, name="试行版", is_active=False)
    GradeBand.objects.create(
        scorecard=other,
        grade="A",
        min_score=700,
        decision="approve",
        max_income_multiple=D("10"),
        spread_bp=0,
    )
    score(book[0].application, "A", other)  # loan 1 now last scored with the trial version

    trial = validation_report(scorecard=other)
    first = validation_report(scorecard=scorecard)

    assert figures(trial.rows) == [("A", 1, D("100.00"), 0, D("0.00"))]
    assert figures(first.rows)[0] == ("A", 1, D("25.00"), 0, D("0.00"))  # 1 of A, B, B, C
    assert first.total.loans == 4  # loan 6 has no score at all


def test_an_empty_book_reports_nothing(db):
    report = validation_report()

    assert report.rows == []
    assert (report.total.loans, report.total.bad, report.total.bad_rate) == (0, 0, None)


@pytest.mark.parametrize("role", ["director", "reviewer", "auditor"])
def test_the_page_shows_it_to_the_director_reviewer_and_auditor(client, request, role, book):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("reports:validation_report"))

    assert response.status_code == 200
    assert figures(response.context["report"].rows) == EXPECTED
    html = response.content.decode()
    assert 'data-testid="grade-B"' in html and "50.00" in html


@pytest.mark.parametrize("role", ["loan_officer", "approver", "archivist"])
def test_nobody_else_sees_it(client, request, role, db):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("reports:validation_report")).status_code == 404
    assert client.get(reverse("reports:validation_report") + "?export=csv").status_code == 404


def expected_rows():
    body = [[grade or "未评分", *rest] for grade, *rest in EXPECTED]
    return [*body, ["合计", *EXPECTED_TOTAL]]


def test_the_csv_export_has_the_same_figures(client, director, book):
    client.force_login(director)

    response = client.get(reverse("reports:validation_report"), {"export": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "等级"
    parsed = [[row[0], int(row[1]), D(row[2]), int(row[3]), D(row[4])] for row in rows[1:]]
    assert parsed == expected_rows()


def test_the_xlsx_export_has_the_same_figures(client, director, book):
    client.force_login(director)

    response = client.get(reverse("reports:validation_report"), {"export": "xlsx"})

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "等级"
    parsed = [
        [
            row[0],
            row[1],
            D(str(row[2])).quantize(D("0.01")),
            row[3],
            D(str(row[4])).quantize(D("0.01")),
        ]
        for row in rows[1:]
    ]
    assert parsed == expected_rows()
