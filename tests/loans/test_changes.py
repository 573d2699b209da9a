from datetime import date
from decimal import Decimal

import pytest

from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.models import AuditEvent
from loans.models import AccountStatus, ChangeRequest, ChangeStatus, Repayment
from loans.services import changes
from tests.servicing import consumer_account

pytestmark = pytest.mark.django_db
VALUE_DATE = date(2026, 11, 1)
ON = date(2026, 11, 20)  # 19 days after the value date, before the first due date


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


@pytest.fixture
def account(loan_officer, investigator, reviewer, approver, disbursement_supervisor):
    # 120,000 over 12 months at 3.60%: the daily rate is exactly 0.01%
    return consumer_account(
        loan_officer,
        investigator,
        reviewer,
        approver,
        disbursement_supervisor,
        value_date=VALUE_DATE,
    )


def ask(officer, account, kind, **data):
    data.setdefault("effective_on", ON)
    data.setdefault("reason", "借款人申请")
    return changes.request_change(user=officer, account=account, kind=kind, data=data)


def test_a_full_early_repayment_is_quoted_and_settles_the_loan(account, loan_officer, reviewer):
    change = ask(loan_officer, account, "early_full", payment_reference="EARLY-1")
    # 120,000 × 0.01% × 19 days
    assert change.quote == {
        "principal": "120000.00",
        "interest": "228.00",
        "total": "120228.00",
        "remaining_months": 12,
    }
    changes.review_change(user=reviewer, change=change, agree=True, opinion="同意提前结清")
    account.refresh_from_db()
    assert account.status == AccountStatus.SETTLED
    assert account.principal_outstanding == Decimal("0.00")
    assert account.settled_on == ON
    repayment = Repayment.objects.get(account=account)
    assert (repayment.amount, repayment.interest_part) == (Decimal("120228.00"), Decimal("228.00"))
    assert account.installments.count() == 0
    settled = AuditEvent.objects.filter(action="settle", object_id=str(account.pk))
    assert [(e.from_state, e.to_state, e.actor) for e in settled] == [
        ("active", "settled", reviewer)
    ]


def test_a_part_repayment_with_a_smaller_payment_keeps_the_term(account, loan_officer, reviewer):
    before = account.installments.first().payment_due
    change = ask(
        loan_officer,
        account,
        "early_partial",
        amount=Decimal("20000.00"),
        option="smaller_payment",
        payment_reference="PART-1",
    )
    assert change.quote["interest"] == "38.00"  # 20,000 × 0.01% × 19
    changes.review_change(user=reviewer, change=change, agree=True, opinion="同意")
    account.refresh_from_db()
    installments = list(account.installments.all())
    assert len(installments) == 12
    assert sum(i.principal_due for i in installments) == Decimal("100000.00")
    assert installments[0].payment_due < before
    assert account.principal_outstanding == Decimal("100000.00")


def test_a_part_repayment_with_a_shorter_term_keeps_the_payment(account, loan_officer, reviewer):
    before = account.installments.first().payment_due
    change = ask(
        loan_officer,
        account,
        "early_partial",
        amount=Decimal("20000.00"),
        option="shorter_term",
        payment_reference="PART-2",
    )
    changes.review_change(user=reviewer, change=change, agree=True, opinion="同意")
    account.refresh_from_db()
    installments = list(account.installments.all())
    assert len(installments) == change.quote["new_months"] < 12
    assert installments[0].payment_due <= before
    assert sum(i.principal_due for i in installments) == Decimal("100000.00")
    assert account.maturity_date == installments[-1].due_date


def test_an_extension_needs_the_approver_and_regenerates_the_schedule(
    account, loan_officer, reviewer, approver
):
    change = ask(loan_officer, account, "extension", extra_months=6)
    changes.review_change(user=reviewer, change=change, agree=True, opinion="经营周转困难,同意")
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.PENDING_APPROVAL
    assert account.installments.count() == 12  # nothing changes before approval
    changes.approve_change(user=approver, change=change, agree=True, opinion="同意展期六个月")
    account.refresh_from_db()
    assert account.is_extended and account.term_months == 18
    assert account.installments.count() == 18
    assert sum(i.principal_due for i in account.installments.all()) == Decimal("120000.00")
    assert account.maturity_date == date(2028, 5, 1)


def test_an_extension_is_limited(account, loan_officer):
    with pytest.raises(RuleViolations, match="不得超过"):
        ask(loan_officer, account, "extension", extra_months=60)


def test_the_repayment_account_and_borrower_data_change_after_review(
    account, loan_officer, reviewer
):
    change = ask(
        loan_officer, account, "repayment_account", new_repayment_account="6217 0000 1111 2222 333"
    )
    changes.review_change(user=reviewer, change=change, agree=True, opinion="核实本人账户")
    account.refresh_from_db()
    assert account.repayment_account == "6217000011112222333"
    change = ask(
        loan_officer,
        account,
        "borrower_data",
        borrower_changes={"mobile": "13900001111", "address": "上海市浦东新区"},
    )
    changes.review_change(user=reviewer, change=change, agree=True, opinion="已核实")
    account.customer.refresh_from_db()
    assert (account.customer.mobile, account.customer.address) == ("13900001111", "上海市浦东新区")


def test_a_rejected_change_changes_nothing(account, loan_officer, reviewer):
    change = ask(
        loan_officer, account, "repayment_account", new_repayment_account="6217000011112222333"
    )
    changes.review_change(user=reviewer, change=change, agree=False, opinion="非本人账户")
    account.refresh_from_db()
    assert account.repayment_account == "6222020200112233445"
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.REJECTED


@pytest.mark.parametrize(
    "kind,data,message",
    [
        (
            "early_partial",
            {"amount": Decimal("120000.00"), "option": "shorter_term", "payment_reference": "X"},
            "须少于剩余本金",
        ),
        ("early_partial", {"amount": Decimal("1000.00"), "payment_reference": "X"}, "缩短期限"),
        ("early_full", {}, "付款流水号"),
        ("repayment_account", {"new_repayment_account": "12"}, "12 至 30 位数字"),
        ("borrower_data", {"borrower_changes": {"mobile": "123"}}, "手机号码"),
        ("borrower_data", {"borrower_changes": {"id_number": "x"}}, "至少选择一项"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(account, loan_officer, kind, data, message):
    with pytest.raises(RuleViolations, match=message):
        ask(loan_officer, account, kind, **data)


def test_arrears_must_be_cleared_before_an_early_repayment(account, loan_officer):
    with pytest.raises(DomainError, match="逾期"):
        ask(
            loan_officer,
            account,
            "early_full",
            effective_on=date(2026, 12, 5),
            payment_reference="LATE",
        )


def test_one_change_at_a_time_and_only_by_the_own_officer(account, loan_officer, other_officer):
    with pytest.raises(PermissionRefused):
        ask(other_officer, account, "early_full", payment_reference="Y")
    ask(loan_officer, account, "extension", extra_months=3)
    with pytest.raises(DomainError, match="尚在审批"):
        ask(loan_officer, account, "early_full", payment_reference="Z")


def test_the_reviewer_of_an_extension_may_not_approve_it(account, loan_officer, make_user):
    both = make_user("rev_app", "reviewer", "approver")
    change = ask(loan_officer, account, "extension", extra_months=3)
    changes.review_change(user=both, change=change, agree=True, opinion="同意")
    with pytest.raises(DomainError, match="审查人不得同时审批"):
        changes.approve_change(user=both, change=change, agree=True, opinion="同意")


def test_every_step_is_audited(account, loan_officer, reviewer):
    change = ask(
        loan_officer, account, "repayment_account", new_repayment_account="6217000011112222333"
    )
    changes.review_change(user=reviewer, change=change, agree=True, opinion="同意")
    actions = list(
        AuditEvent.objects.filter(object_id=str(account.pk)).values_list("action", flat=True)
    )
    assert actions.count("request_change") == 1 and actions.count("review_change") == 1
