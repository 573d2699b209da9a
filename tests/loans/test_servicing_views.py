"""Servicing pages: the account list, posting a repayment, the receipt and the application panel."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import LoanApplication
from loancenter.repayment import add_months
from loans.models import AccountStatus, LoanAccount, Repayment
from loans.panels_servicing import account_panel
from loans.services.repayments import post_repayment
from tests.servicing import consumer_account

D = Decimal


def first_of_month(months_back: int):
    return add_months(timezone.localdate().replace(day=1), -months_back)


@pytest.fixture
def open_account(origination, investigator, reviewer, approver, disbursement_supervisor):
    def make(officer, *, due=2, **overrides):
        return consumer_account(
            officer,
            investigator,
            reviewer,
            approver,
            disbursement_supervisor,
            method="equal_principal",
            value_date=first_of_month(due),
            **overrides,
            penalty_free=True,  # pages and figures; penalty accrual is tested with the sweep
        )

    return make


@pytest.fixture
def account(open_account, loan_officer):
    """120,000.00 / 12 months / 3.60% equal principal; two installments due: 20,690.00."""
    return open_account(loan_officer)


def as_user(client, user):
    client.force_login(user)
    return client


def form_data(**overrides):
    data = {
        "amount": "1,000.00",
        "paid_on": timezone.localdate().isoformat(),
        "channel": "counter",
        "reference": "GM-0001",
    }
    data.update(overrides)
    return data


class TestTheAccountList:
    def test_a_loan_officer_sees_only_own_accounts(
        self, client, open_account, loan_officer, other_officer
    ):
        mine = open_account(loan_officer)
        theirs = open_account(other_officer)

        response = as_user(client, loan_officer).get(reverse("loans:account_list"))

        html = response.content.decode()
        assert response.status_code == 200
        assert mine.number in html
        assert theirs.number not in html

    @pytest.mark.parametrize(
        "role",
        ["director", "auditor", "reviewer", "collections_officer", "disbursement_supervisor"],
    )
    def test_these_roles_see_every_account(
        self, client, make_user, open_account, loan_officer, other_officer, role
    ):
        accounts = [open_account(loan_officer), open_account(other_officer)]

        response = as_user(client, make_user(f"viewer_{role}", role)).get(
            reverse("loans:account_list")
        )

        assert {account.pk for account in response.context["page"].object_list} == {
            account.pk for account in accounts
        }

    def test_an_investigator_sees_none_and_an_empty_state(self, client, investigator, account):
        response = as_user(client, investigator).get(reverse("loans:account_list"))

        assert response.status_code == 200
        assert "暂无借据" in response.content.decode()

    def test_it_searches_by_number_name_and_id_number(self, client, auditor, account):
        client = as_user(client, auditor)
        url = reverse("loans:account_list")
        for search in (account.number[-4:], account.customer.name, account.customer.id_number):
            page = client.get(url, {"q": search}).context["page"]
            assert [item.pk for item in page.object_list] == [account.pk], search
        response = client.get(url, {"q": "没有这个人"})
        assert "没有符合条件的借据" in response.content.decode()

    def test_it_filters_by_status(self, client, auditor, account):
        client = as_user(client, auditor)
        url = reverse("loans:account_list")
        assert client.get(url, {"status": "active"}).context["page"].object_list
        assert not client.get(url, {"status": "settled"}).context["page"].object_list

    def test_it_pages_by_25(self, client, auditor, account):
        assert (
            as_user(client, auditor)
            .get(reverse("loans:account_list"))
            .context["page"]
            .paginator.per_page
            == 25
        )

    def test_a_visitor_is_sent_to_sign_in(self, client, account):
        response = client.get(reverse("loans:account_list"))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


class TestTheRepaymentForm:
    def test_the_owner_officer_gets_the_form_with_today_and_what_is_due(
        self, client, loan_officer, account
    ):
        response = as_user(client, loan_officer).get(
            reverse("loans:account_detail", args=[account.pk])
        )

        form = response.context["form"]
        assert form is not None
        assert form.initial["amount"] == "20690.00"
        assert form["paid_on"].value() == timezone.localdate()
        assert "登记还款" in response.content.decode()

    def test_before_the_first_due_date_the_amount_is_left_empty(
        self, client, loan_officer, open_account
    ):
        account = open_account(loan_officer, due=0)

        response = as_user(client, loan_officer).get(
            reverse("loans:account_detail", args=[account.pk])
        )

        assert response.context["statement"].due_now == D("0.00")
        assert "amount" not in response.context["form"].initial

    @pytest.mark.parametrize("role", ["auditor", "director", "reviewer"])
    def test_readers_get_no_form(self, client, make_user, account, role):
        response = as_user(client, make_user(f"reader_{role}", role)).get(
            reverse("loans:account_detail", args=[account.pk])
        )
        assert response.status_code == 200
        assert response.context["form"] is None

    def test_posting_records_the_repayment_and_shows_the_receipt(
        self, client, loan_officer, account
    ):
        response = as_user(client, loan_officer).post(
            reverse("loans:repayment_post", args=[account.pk]), form_data(), follow=True
        )

        repayment = Repayment.objects.get(account=account)
        assert repayment.amount == D("1000.00")
        assert response.redirect_chain[-1][0] == reverse(
            "loans:repayment_receipt", args=[account.pk, repayment.pk]
        )
        html = response.content.decode()
        assert "已登记还款 1,000.00 元" in html
        assert "人民币壹仟元整" in html
        assert "690.00" in html and "310.00" in html

    def test_posting_twice_says_it_was_already_posted(self, client, loan_officer, account):
        client = as_user(client, loan_officer)
        url = reverse("loans:repayment_post", args=[account.pk])
        client.post(url, form_data())

        response = client.post(url, form_data(), follow=True)

        assert Repayment.objects.filter(account=account).count() == 1
        assert "该凭证号已登记过" in response.content.decode()

    def test_an_overpayment_is_refused_on_the_page(self, client, loan_officer, account):
        response = as_user(client, loan_officer).post(
            reverse("loans:repayment_post", args=[account.pk]), form_data(amount="20690.01")
        )

        assert response.status_code == 200
        html = response.content.decode()
        assert "超过当前应还金额" in html
        assert 'value="20690.01"' in html  # the form keeps what was typed
        assert not Repayment.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"amount": "0"}, "金额必须大于零"),
            ({"amount": "12.345"}, "两位小数"),
            ({"amount": "一千"}, "不是有效的金额"),
            ({"reference": ""}, "这个字段是必填项"),
        ],
    )
    def test_bad_input_is_shown_on_the_form(self, client, loan_officer, account, data, message):
        response = as_user(client, loan_officer).post(
            reverse("loans:repayment_post", args=[account.pk]), form_data(**data)
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Repayment.objects.exists()

    def test_a_future_date_is_refused_on_the_page(self, client, loan_officer, account):
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = as_user(client, loan_officer).post(
            reverse("loans:repayment_post", args=[account.pk]), form_data(paid_on=tomorrow)
        )
        assert "还款日期不能晚于今天" in response.content.decode()

    def test_an_auditor_posting_is_refused(self, client, auditor, account):
        response = as_user(client, auditor).post(
            reverse("loans:repayment_post", args=[account.pk]), form_data()
        )
        assert response.status_code == 200
        assert "此操作需要以下岗位" in response.content.decode()
        assert not Repayment.objects.exists()

    def test_another_officer_cannot_post_or_see(self, client, other_officer, account):
        response = as_user(client, other_officer).post(
            reverse("loans:repayment_post", args=[account.pk]), form_data()
        )
        assert response.status_code == 404

    def test_posting_needs_post(self, client, loan_officer, account):
        response = as_user(client, loan_officer).get(
            reverse("loans:repayment_post", args=[account.pk])
        )
        assert response.status_code == 405

    def test_a_settled_account_shows_no_form(self, client, loan_officer, open_account):
        account = open_account(loan_officer, due=12)
        owed = sum((item.amount_owed for item in account.installments.all()), D("0"))
        post_repayment(
            user=loan_officer,
            account=account,
            amount=owed,
            paid_on=timezone.localdate(),
            channel="transfer",
            reference="ALL",
        )

        response = as_user(client, loan_officer).get(
            reverse("loans:account_detail", args=[account.pk])
        )
        assert LoanAccount.objects.get(pk=account.pk).status == AccountStatus.SETTLED
        assert response.context["form"] is None
        assert "结清" in response.content.decode()


@pytest.fixture
def repayment(account, loan_officer):
    return post_repayment(
        user=loan_officer,
        account=account,
        amount=D("1234.56"),
        paid_on=timezone.localdate(),
        channel="counter",
        reference="GM-9",
    )


class TestTheReceipt:
    def test_the_owner_officer_may_open_it(self, client, loan_officer, repayment):
        response = as_user(client, loan_officer).get(
            reverse("loans:repayment_receipt", args=[repayment.account_id, repayment.pk])
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "还款凭证" in html
        assert "人民币壹仟贰佰叁拾肆元伍角陆分" in html
        assert "柜面还款" in html

    def test_another_officer_gets_404(self, client, other_officer, repayment):
        for name in ("repayment_receipt", "repayment_receipt_pdf"):
            response = as_user(client, other_officer).get(
                reverse(f"loans:{name}", args=[repayment.account_id, repayment.pk])
            )
            assert response.status_code == 404

    def test_the_auditor_may_open_it(self, client, auditor, repayment):
        response = as_user(client, auditor).get(
            reverse("loans:repayment_receipt", args=[repayment.account_id, repayment.pk])
        )
        assert response.status_code == 200

    def test_a_repayment_of_another_account_is_404(
        self, client, auditor, repayment, open_account, loan_officer
    ):
        other = open_account(loan_officer)
        response = as_user(client, auditor).get(
            reverse("loans:repayment_receipt", args=[other.pk, repayment.pk])
        )
        assert response.status_code == 404

    def test_the_pdf_receipt_reads_back_in_chinese(self, client, loan_officer, repayment):
        response = as_user(client, loan_officer).get(
            reverse("loans:repayment_receipt_pdf", args=[repayment.account_id, repayment.pk])
        )

        assert response.status_code == 200
        text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
        assert "个人贷款还款凭证" in text
        assert repayment.account.number in text
        assert "1,234.56" in text
        assert "人民币壹仟贰佰叁拾肆元伍角陆分" in text
        assert "GM-9" in text


class TestTheApplicationPanel:
    def test_it_shows_the_account_to_its_officer(self, loan_officer, account):
        panel = account_panel(loan_officer, LoanApplication.objects.get(account=account))

        assert panel["account"] == account
        assert panel["principal_outstanding"] == D("120000.00")
        assert panel["next_due"].period == 1
        assert panel["statement_url"] == reverse("loans:account_detail", args=[account.pk])

    def test_it_is_hidden_from_another_officer(self, other_officer, account):
        assert account_panel(other_officer, LoanApplication.objects.get(account=account)) is None

    def test_it_is_hidden_before_disbursement(self, loan_officer, origination):
        from tests.origination import draft

        assert account_panel(loan_officer, draft(loan_officer)) is None

    def test_the_application_page_shows_it(self, client, loan_officer, account):
        response = as_user(client, loan_officer).get(
            reverse("applications:detail", args=[account.application_id])
        )
        html = response.content.decode()
        assert 'data-testid="account-panel"' in html
        assert account.number in html
        assert "第 1 期" in html
