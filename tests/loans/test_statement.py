"""The account statement: the page, its PDF and XLSX exports, and a fixed number of queries."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from loancenter.repayment import add_months
from loans.models import Installment
from loans.services.repayments import post_repayment
from tests.loancenter.test_pdf import embedded_font_names
from tests.servicing import consumer_account

D = Decimal


def first_of_month(months_back: int) -> date:
    return add_months(timezone.localdate().replace(day=1), -months_back)


@pytest.fixture
def make_account(
    origination, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    def make(term_months=12, due=2):
        account = consumer_account(
            loan_officer,
            investigator,
            reviewer,
            approver,
            disbursement_supervisor,
            method="equal_principal",
            term_months=term_months,
            value_date=first_of_month(due),
            penalty_free=True,  # pages and figures; penalty accrual is tested with the sweep
        )
        post_repayment(
            user=loan_officer,
            account=account,
            amount=D("1000.00"),
            paid_on=timezone.localdate(),
            channel="transfer",
            reference="ZZ20260001",
        )
        return account

    return make


@pytest.fixture
def account(make_account):
    """120,000.00 / 12 months / 3.60% equal principal, two due, 1,000.00 paid: 690.00 interest
    and 310.00 principal."""
    return make_account()


@pytest.fixture
def officer_client(client, loan_officer):
    client.force_login(loan_officer)
    return client


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


class TestTheStatementPage:
    def test_it_shows_the_terms_schedule_totals_and_history(self, officer_client, account):
        response = officer_client.get(reverse("loans:account_detail", args=[account.pk]))

        assert response.status_code == 200
        html = response.content.decode()
        assert account.number in html
        assert account.customer.name in html
        assert "个人消费贷款" in html
        assert "人民币壹拾贰万元整" in html
        assert "3.60%" in html
        assert "等额本金" in html
        assert "还款计划" in html and "还款记录" in html
        assert "119,690.00" in html  # principal outstanding
        assert "120,000.00" in html  # principal due in total
        assert "ZZ20260001" in html
        assert "正常" in html  # the status and the classification

    def test_the_totals_add_up_the_schedule(self, officer_client, account):
        response = officer_client.get(reverse("loans:account_detail", args=[account.pk]))

        statement = response.context["statement"]
        assert statement.totals.principal_due == D("120000.00")
        assert statement.totals.interest_paid == D("690.00")
        assert statement.totals.principal_paid == D("310.00")
        assert statement.totals.interest_due == sum(
            (item.interest_due for item in Installment.objects.filter(account=account)), D("0")
        )
        # two installments due: 20,690.00 less the 1,000.00 paid
        assert statement.due_now == D("19690.00")

    def test_it_makes_the_same_number_of_queries_for_12_and_60_months(
        self, officer_client, make_account
    ):
        counts = []
        for months in (12, 60):
            account = make_account(term_months=months)
            url = reverse("loans:account_detail", args=[account.pk])
            officer_client.get(url)  # warm the per-process caches (content types, sessions)
            with CaptureQueriesContext(connection) as queries:
                response = officer_client.get(url)
            assert response.status_code == 200
            assert len(response.context["statement"].installments) == months
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        assert counts[0] <= 12, counts


class TestThePdf:
    def test_it_is_a_chinese_statement_with_the_figures_and_the_capitals(
        self, officer_client, account
    ):
        response = officer_client.get(reverse("loans:account_statement_pdf", args=[account.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "贷款对账单" in unquote(response["Content-Disposition"])
        text = pdf_text(response.content)
        assert "个人贷款对账单" in text
        assert account.number in text
        assert account.customer.name in text
        assert "120,000.00" in text
        assert "119,690.00" in text
        assert "人民币壹拾贰万元整" in text
        assert "ZZ20260001" in text
        names = embedded_font_names(PdfReader(BytesIO(response.content)).pages[0])
        assert any("CJK" in name or "WenQuanYi" in name for name in names), names


class TestTheXlsx:
    def test_it_has_the_schedule_and_the_history_with_the_page_s_figures(
        self, officer_client, account
    ):
        response = officer_client.get(reverse("loans:account_statement_xlsx", args=[account.pk]))

        assert response.status_code == 200
        disposition = unquote(response["Content-Disposition"])
        assert disposition.startswith("attachment")
        assert f"贷款对账单-{account.number}.xlsx" in disposition
        book = load_workbook(BytesIO(response.content))
        assert book.sheetnames == ["还款计划", "还款记录"]

        schedule = book["还款计划"]
        rows = list(schedule.iter_rows(values_only=True))
        assert rows[0][:4] == ("期次", "应还日期", "应还本金", "已还本金")
        assert len(rows) == 1 + 12 + 1  # header, twelve periods, totals
        first = rows[1]
        assert first[0] == 1
        assert first[1].date() == Installment.objects.get(account=account, period=1).due_date
        assert D(str(first[2])) == D("10000.00")
        assert D(str(first[3])) == D("310.00")
        assert D(str(first[4])) == D("360.00")
        assert D(str(first[5])) == D("360.00")
        totals = rows[-1]
        assert totals[0] == "合计"
        assert D(str(totals[2])) == D("120000.00")
        assert schedule["C2"].number_format == "#,##0.00"

        history = list(book["还款记录"].iter_rows(values_only=True))
        assert history[0][:2] == ("还款日期", "还款金额")
        assert [D(str(value)) for value in history[1][1:5]] == [
            D("1000.00"),
            D("0.00"),
            D("690.00"),
            D("310.00"),
        ]
        assert history[1][5] == "银行转账"
        assert history[1][6] == "ZZ20260001"
        assert book["还款记录"]["B2"].number_format == "#,##0.00"


class TestWhoMayOpenIt:
    @pytest.mark.parametrize(
        "name", ["account_detail", "account_statement_pdf", "account_statement_xlsx"]
    )
    def test_another_officer_gets_404(self, client, other_officer, account, name):
        client.force_login(other_officer)
        assert client.get(reverse(f"loans:{name}", args=[account.pk])).status_code == 404

    @pytest.mark.parametrize(
        "name", ["account_detail", "account_statement_pdf", "account_statement_xlsx"]
    )
    def test_the_auditor_may_read_it(self, client, auditor, account, name):
        client.force_login(auditor)
        assert client.get(reverse(f"loans:{name}", args=[account.pk])).status_code == 200
