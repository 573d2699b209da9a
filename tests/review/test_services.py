from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications import services as application_services
from applications.models import Status
from loancenter.errors import (
    DomainError,
    InvalidTransition,
    PermissionRefused,
    SeparationOfDutiesError,
)
from loancenter.models import AuditEvent
from review import services
from review.models import ApprovalDecision, AuthorityLimit
from tests.origination import (
    decision_data,
    id_number,
    make_customer,
    review_data,
    reviewed,
    surveyed,
)


def wealthy(officer):
    """A young customer with the income for a five-million loan over thirty years."""
    return make_customer(
        officer, id_number=id_number(date(1995, 3, 1), 321), monthly_income=Decimal("100000")
    )


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


def test_the_reviewer_agrees_and_it_goes_to_approval(loan_officer, investigator, reviewer):
    application = surveyed(loan_officer, investigator)
    opinion = services.review_application(
        user=reviewer, application=application, data=review_data(application)
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVING
    assert opinion.reviewer == reviewer
    assert reviewer.has_perm("applications.view_loanapplication", application)


def test_a_disagreeing_review_still_reaches_the_approver_with_its_reasons(
    loan_officer, investigator, reviewer
):
    application = surveyed(loan_officer, investigator)
    services.review_application(
        user=reviewer,
        application=application,
        data=review_data(application, decision="disagree", text="负债率偏高"),
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVING
    assert AuditEvent.objects.get(action="review_disagree").opinion == "负债率偏高"


def test_a_return_goes_back_to_the_officer_and_resubmission_back_to_review(
    loan_officer, investigator, reviewer
):
    application = surveyed(loan_officer, investigator)
    services.review_application(
        user=reviewer,
        application=application,
        data=review_data(application, decision="return", text="请补充近六个月银行流水"),
    )
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    application_services.submit_application(user=loan_officer, application=application)
    application.refresh_from_db()
    assert application.status == Status.REVIEWING  # the survey stands


def test_a_review_needs_written_reasons(loan_officer, investigator, reviewer):
    application = surveyed(loan_officer, investigator)
    with pytest.raises(DomainError, match="书面"):
        services.review_application(
            user=reviewer, application=application, data=review_data(application, text=" ")
        )


def test_an_investigator_of_the_application_may_not_review_it(loan_officer, make_user):
    second = make_user("inv_rev", "investigator", "reviewer")
    application = surveyed(loan_officer, second)
    with pytest.raises(SeparationOfDutiesError, match="审贷分离"):
        services.review_application(
            user=second, application=application, data=review_data(application)
        )


def test_only_reviewers_review(loan_officer, investigator, approver):
    application = surveyed(loan_officer, investigator)
    with pytest.raises(PermissionRefused):
        services.review_application(
            user=approver, application=application, data=review_data(application)
        )


def test_the_approver_approves_within_authority(loan_officer, investigator, reviewer, approver):
    application = reviewed(loan_officer, investigator, reviewer)
    decision = services.decide_application(
        user=approver,
        application=application,
        data=decision_data(application, amount=Decimal("750000.00")),
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert decision.limit_amount == Decimal("1000000.00")
    assert decision.authority_limit.group.name == "approver"
    assert services.final_decision(application).amount == Decimal("750000.00")


def test_above_the_approvers_authority_it_escalates_to_the_director(
    loan_officer, investigator, reviewer, approver, director
):
    application = reviewed(loan_officer, investigator, reviewer, amount=Decimal("1500000"))
    first = services.decide_application(
        user=approver, application=application, data=decision_data(application)
    )
    application.refresh_from_db()
    assert first.decision == ApprovalDecision.ESCALATE
    assert (application.status, application.escalation_level) == (Status.ESCALATED, "director")
    services.decide_application(
        user=director, application=application, data=decision_data(application)
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    final = services.final_decision(application)
    assert (final.decided_by, final.limit_amount) == (director, Decimal("3000000.00"))


def test_above_the_directors_authority_it_goes_to_head_office(
    loan_officer, investigator, reviewer, approver, director, head_office
):
    application = reviewed(
        loan_officer,
        investigator,
        reviewer,
        amount=Decimal("5000000"),
        term_months=360,
        customer=wealthy(loan_officer),
    )
    for person in (approver, director):
        services.decide_application(
            user=person, application=application, data=decision_data(application)
        )
        application.refresh_from_db()
    assert application.escalation_level == "head_office"
    with pytest.raises(PermissionRefused):  # the director decided already; not theirs now
        services.decide_application(
            user=director, application=application, data=decision_data(application)
        )
    services.decide_application(
        user=head_office, application=application, data=decision_data(application)
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_above_every_limit_it_cannot_be_approved(
    loan_officer, investigator, reviewer, approver, director, head_office
):
    AuthorityLimit.objects.filter(group__name="head_office").update(max_amount=Decimal("2000000"))
    application = reviewed(
        loan_officer,
        investigator,
        reviewer,
        amount=Decimal("5000000"),
        term_months=360,
        customer=wealthy(loan_officer),
    )
    for person in (approver, director):
        services.decide_application(
            user=person, application=application, data=decision_data(application)
        )
    application.refresh_from_db()
    with pytest.raises(DomainError, match="超出全部授权"):
        services.decide_application(
            user=head_office, application=application, data=decision_data(application)
        )


def test_an_approver_may_reject_or_return(loan_officer, investigator, reviewer, approver):
    rejected = reviewed(loan_officer, investigator, reviewer)
    services.decide_application(
        user=approver, application=rejected, data=decision_data(rejected, decision="reject")
    )
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED


@pytest.mark.parametrize("conflict", ["reviewer", "investigator"])
def test_the_approver_may_not_have_reviewed_or_investigated_it(
    loan_officer, investigator, reviewer, make_user, conflict
):
    person = make_user("dual", conflict, "approver")
    if conflict == "reviewer":
        application = reviewed(loan_officer, investigator, person)
    else:
        application = reviewed(loan_officer, person, reviewer)
    with pytest.raises(SeparationOfDutiesError):
        services.decide_application(
            user=person, application=application, data=decision_data(application)
        )


def test_the_officer_may_not_approve_own_application(investigator, reviewer, make_user):
    officer = make_user("officer_approver", "loan_officer", "approver")
    application = reviewed(officer, investigator, reviewer)
    with pytest.raises(SeparationOfDutiesError):
        services.decide_application(
            user=officer, application=application, data=decision_data(application)
        )


def test_a_second_decision_is_told_who_decided_first(
    loan_officer, investigator, reviewer, approver, make_user
):
    colleague = make_user("approver2", "approver", last_name="孙", first_name="审批")
    application = reviewed(loan_officer, investigator, reviewer)
    services.decide_application(
        user=colleague, application=application, data=decision_data(application)
    )
    with pytest.raises(InvalidTransition, match="孙审批"):
        services.decide_application(
            user=approver, application=application, data=decision_data(application)
        )
    assert ApprovalDecision.objects.count() == 1


def test_a_decision_needs_written_reasons(loan_officer, investigator, reviewer, approver):
    application = reviewed(loan_officer, investigator, reviewer)
    with pytest.raises(DomainError, match="书面"):
        services.decide_application(
            user=approver, application=application, data=decision_data(application, reasons="")
        )


def test_a_delegated_limit_may_not_exceed_its_delegators(approver):
    director_limit = AuthorityLimit.objects.get(group__name="director")
    limit = AuthorityLimit(
        user=approver, max_amount=director_limit.max_amount + 1, delegated_from=director_limit
    )
    with pytest.raises(ValidationError, match="不得超过"):
        limit.full_clean()


def test_a_personal_limit_lifts_an_approvers_authority(
    loan_officer, investigator, reviewer, approver
):
    director_limit = AuthorityLimit.objects.get(group__name="director")
    AuthorityLimit.objects.create(
        user=approver, max_amount=Decimal("2000000"), delegated_from=director_limit
    )
    application = reviewed(loan_officer, investigator, reviewer, amount=Decimal("1500000"))
    services.decide_application(
        user=approver, application=application, data=decision_data(application)
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVED
