from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications import services
from applications.models import Status
from loancenter.errors import DomainError, PermissionRefused, SeparationOfDutiesError
from loancenter.models import AuditEvent
from tests.origination import submitted, survey_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


def test_an_investigator_takes_a_submitted_application(loan_officer, investigator):
    application = services.claim_survey(
        user=investigator, application=submitted(loan_officer), draw=0.99
    )
    assert application.status == Status.SURVEYING
    assert application.investigator == investigator
    assert application.onsite_survey_required is False  # 0.99 is outside housing's 20%
    assert investigator.has_perm("applications.view_loanapplication", application)


@pytest.mark.parametrize(
    "product_code,draw,required",
    [
        ("HOUSING", 0.19, True),
        ("HOUSING", 0.20, False),
        ("CONSUMER", 0.49, True),
        ("CONSUMER", 0.5, False),
        ("BUSINESS", 0.99, True),
    ],
)
def test_on_site_surveys_follow_the_products_sampling_rate(
    loan_officer, investigator, product_code, draw, required
):
    overrides = {
        "HOUSING": {},
        "CONSUMER": {"amount": Decimal("100000"), "term_months": 36, "security_type": "credit"},
        "BUSINESS": {
            "amount": Decimal("500000"),
            "term_months": 36,
            "security_type": "mortgage",
            "rate_spread_bp": 100,
        },
    }[product_code]
    application = submitted(loan_officer, product_code=product_code, **overrides)
    application = services.claim_survey(user=investigator, application=application, draw=draw)
    assert application.onsite_survey_required is required
    event = AuditEvent.objects.get(action="claim_survey", object_id=str(application.pk))
    assert str(application.product.onsite_survey_percent) in event.opinion


def test_only_investigators_take_surveys(loan_officer, reviewer):
    with pytest.raises(PermissionRefused):
        services.claim_survey(user=reviewer, application=submitted(loan_officer))


def test_the_officer_cannot_be_the_second_investigator_of_own_application(make_user):
    both = make_user("both", "loan_officer", "investigator")
    with pytest.raises(SeparationOfDutiesError, match="双人调查"):
        services.claim_survey(user=both, application=submitted(both))


def test_two_people_confirm_and_it_goes_to_review(loan_officer, investigator):
    application = services.claim_survey(
        user=investigator, application=submitted(loan_officer), draw=0.99
    )
    services.confirm_survey(
        user=loan_officer, application=application, data=survey_data(application)
    )
    application.refresh_from_db()
    assert application.status == Status.SURVEYING
    second = services.confirm_survey(
        user=investigator, application=application, data=survey_data(application)
    )
    application.refresh_from_db()
    assert application.status == Status.REVIEWING
    assert Decimal("0") < second.payment_to_income_percent < Decimal("50")
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk)).values_list("action", flat=True)
    )
    assert actions.count("confirm_survey") == 2 and "complete_survey" in actions


def test_nobody_else_confirms_and_nobody_confirms_twice(loan_officer, investigator, other_officer):
    application = services.claim_survey(
        user=investigator, application=submitted(loan_officer), draw=0.99
    )
    with pytest.raises(PermissionRefused):
        services.confirm_survey(
            user=other_officer, application=application, data=survey_data(application)
        )
    services.confirm_survey(
        user=loan_officer, application=application, data=survey_data(application)
    )
    with pytest.raises(DomainError, match="已确认"):
        services.confirm_survey(
            user=loan_officer, application=application, data=survey_data(application)
        )


def test_a_required_on_site_visit_must_be_done(loan_officer, investigator):
    application = services.claim_survey(
        user=investigator, application=submitted(loan_officer), draw=0.0
    )
    with pytest.raises(DomainError, match="实地调查"):
        services.confirm_survey(
            user=investigator,
            application=application,
            data=survey_data(application, onsite_visit_done=False),
        )


def test_the_interview_cannot_be_in_the_future(loan_officer, investigator):
    application = services.claim_survey(
        user=investigator, application=submitted(loan_officer), draw=0.99
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError, match="面谈日期"):
        services.confirm_survey(
            user=investigator,
            application=application,
            data=survey_data(application, interview_date=tomorrow),
        )


def test_the_recommendation_cannot_exceed_the_request(loan_officer, investigator):
    application = services.claim_survey(
        user=investigator, application=submitted(loan_officer), draw=0.99
    )
    with pytest.raises(DomainError, match="建议金额"):
        services.confirm_survey(
            user=investigator,
            application=application,
            data=survey_data(application, recommended_amount=application.amount + 1),
        )
