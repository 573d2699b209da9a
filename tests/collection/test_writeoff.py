"""Write-off (核销): the request with its evidence, the review, the director's or head office's
decision, and the loan written off with its case kept open for recovery."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from collection.models import CaseStatus, Track, WriteOffEvidence, WriteOffRequest, WriteOffStatus
from collection.services.writeoff import decide_write_off, request_write_off, review_write_off
from loancenter.errors import (
    DomainError,
    InvalidTransition,
    PermissionRefused,
    RuleViolations,
    SeparationOfDutiesError,
)
from loancenter.models import AuditEvent, Notification, Parameter
from loans.models import AccountStatus
from tests.collection.builders import (
    TODAY,
    english_fixture,  # noqa: F401 (fixture)
    evidence,
    make_loan,
    open_case,
    people_fixture,  # noqa: F401 (fixture)
    set_overdue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal
ENFORCEMENT = ("judgment", "enforcement")


@pytest.fixture
def loan(people):
    return set_overdue(make_loan(people), "M3+")


@pytest.fixture
def case(loan, collections_officer):
    return open_case(loan, assignee=collections_officer, bucket="M3+", track=Track.LEGAL)


def ask(
    case, user, ground="enforcement_ended", kinds=ENFORCEMENT, reason="终结执行,无财产可供执行"
):
    return request_write_off(
        case=case, user=user, ground=ground, reason=reason, evidence=evidence(*kinds)
    )


@pytest.fixture
def asked(case, collections_officer):
    return ask(case, collections_officer)


@pytest.fixture
def reviewed(asked, reviewer):
    return review_write_off(request=asked, user=reviewer, agree=True, opinion="法律文书齐全")


class TestRequest:
    def test_the_request_carries_the_amounts_and_the_evidence_under_random_names(
        self, asked, loan, collections_officer, django_capture_on_commit_callbacks, reviewer
    ):
        assert (asked.status, asked.principal, asked.interest) == (
            WriteOffStatus.PENDING_REVIEW,
            D("120000.00"),
            D("400.00"),  # 360.00 overdue interest + 40.00 penalties
        )
        stored = list(asked.evidence.order_by("kind"))
        assert [item.kind for item in stored] == ["enforcement", "judgment"]
        assert stored[0].original_name == "enforcement.pdf"
        assert "enforcement" not in stored[0].file.name.rsplit("/", 1)[-1]
        assert stored[0].content_type == "application/pdf"
        event = AuditEvent.objects.get(action="request_write_off")
        assert (event.object_id, event.to_state) == (str(asked.pk), "pending_review")

    def test_the_reviewers_are_told(
        self, case, collections_officer, reviewer, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = ask(case, collections_officer)
        note = Notification.objects.get(recipient=reviewer)
        assert note.link.endswith(f"/collection/write-offs/{request.pk}/")

    def test_a_dead_borrower_needs_the_certificate_and_the_pursuit_record(
        self, case, collections_officer
    ):
        with pytest.raises(RuleViolations) as refused:
            ask(case, collections_officer, ground="dead_or_missing", kinds=("judgment",))
        assert len(refused.value.messages) == 2
        assert "Death certificate" in refused.value.messages[0]
        request = ask(
            case, collections_officer, ground="dead_or_missing", kinds=("missing", "pursuit")
        )
        assert request.evidence.count() == 2

    def test_enforcement_grounds_need_the_judgment_and_the_ruling(self, case, collections_officer):
        for ground in ("enforcement_failed", "enforcement_ended"):
            with pytest.raises(RuleViolations, match="Ruling"):
                ask(case, collections_officer, ground=ground, kinds=("judgment", "other"))
        assert not WriteOffRequest.objects.exists() and not WriteOffEvidence.objects.exists()

    def test_it_refuses_a_file_that_is_not_a_pdf_or_an_image(self, case, collections_officer):
        fake = SimpleUploadedFile(
            "judgment.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        )
        with pytest.raises(DomainError, match="judgment.pdf: Only PDF"):
            request_write_off(
                case=case,
                user=collections_officer,
                ground="enforcement_ended",
                reason="x",
                evidence=[("judgment", fake), *evidence("enforcement")],
            )

    def test_it_refuses_no_reason_and_an_unknown_ground(self, case, collections_officer):
        with pytest.raises(RuleViolations, match="reasons"):
            ask(case, collections_officer, reason=" ")
        with pytest.raises(RuleViolations, match="ground"):
            ask(case, collections_officer, ground="bored")

    def test_it_refuses_ninety_days_or_fewer(self, case, loan, collections_officer):
        set_overdue(loan, "M3", days=90)
        with pytest.raises(DomainError, match="past 90 days"):
            ask(case, collections_officer)

    def test_it_refuses_anyone_but_a_collections_officer(self, case, loan_officer, reviewer):
        for user in (loan_officer, reviewer):
            with pytest.raises(PermissionRefused):
                ask(case, user)

    def test_it_refuses_a_second_request_while_one_is_open(self, asked, case, collections_officer):
        with pytest.raises(DomainError, match="already"):
            ask(case, collections_officer)

    def test_it_refuses_a_loan_already_written_off_and_a_closed_case(
        self, case, loan, collections_officer
    ):
        set_overdue(loan, "M3+", status="written_off")
        with pytest.raises(DomainError, match="cannot be written off"):
            ask(case, collections_officer)
        type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=TODAY)
        with pytest.raises(DomainError, match="closed"):
            ask(case, collections_officer)


class TestReview:
    def test_agreeing_sends_it_to_the_director(
        self, asked, reviewer, director, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = review_write_off(request=asked, user=reviewer, agree=True, opinion="同意")
        assert (request.status, request.reviewed_by, request.review_opinion) == (
            WriteOffStatus.PENDING_APPROVAL,
            reviewer,
            "同意",
        )
        assert Notification.objects.filter(recipient=director).exists()

    def test_disagreeing_rejects_it_and_tells_the_requester(
        self, asked, reviewer, collections_officer, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = review_write_off(
                request=asked, user=reviewer, agree=False, opinion="证据不足"
            )
        assert request.status == WriteOffStatus.REJECTED
        assert Notification.objects.filter(recipient=collections_officer).exists()

    def test_it_refuses_the_requester_reviewing_their_own_request(self, case, make_user):
        both = make_user("both", "collections_officer", "reviewer")
        request = ask(case, both)
        with pytest.raises(SeparationOfDutiesError):
            review_write_off(request=request, user=both, agree=True, opinion="同意")

    def test_it_refuses_someone_not_a_reviewer_and_an_empty_opinion(
        self, asked, director, reviewer
    ):
        with pytest.raises(PermissionRefused):
            review_write_off(request=asked, user=director, agree=True, opinion="同意")
        with pytest.raises(DomainError, match="reasons in writing"):
            review_write_off(request=asked, user=reviewer, agree=True, opinion=" ")

    def test_it_refuses_a_second_review(self, reviewed, reviewer):
        with pytest.raises(InvalidTransition):
            review_write_off(request=reviewed, user=reviewer, agree=True, opinion="同意")


class TestDecision:
    def test_the_director_approves_within_the_limit_and_the_loan_is_written_off(
        self, reviewed, director, loan, case
    ):
        request = decide_write_off(
            request=reviewed, user=director, approve=True, opinion="同意核销"
        )
        assert (request.status, request.decided_by) == (WriteOffStatus.APPROVED, director)
        loan.refresh_from_db()
        assert (loan.status, loan.written_off_on, loan.written_off_principal) == (
            AccountStatus.WRITTEN_OFF,
            TODAY,
            D("120000.00"),
        )
        case.refresh_from_db()
        assert (case.status, case.track) == (CaseStatus.OPEN, Track.WRITTEN_OFF)
        event = AuditEvent.objects.get(action="write_off")
        assert (event.object_id, event.from_state, event.to_state) == (
            str(loan.pk),
            "overdue",
            "written_off",
        )

    def test_above_the_limit_the_director_sends_it_to_head_office_which_decides(
        self, reviewed, director, head_office, loan, django_capture_on_commit_callbacks
    ):
        Parameter.objects.filter(key="write_off_director_limit").update(value=D("100000"))
        with django_capture_on_commit_callbacks(execute=True):
            request = decide_write_off(
                request=reviewed, user=director, approve=True, opinion="同意上报"
            )
        assert request.status == WriteOffStatus.ESCALATED and request.decided_by is None
        assert Notification.objects.filter(recipient=head_office).exists()
        with pytest.raises(PermissionRefused):
            decide_write_off(request=request, user=director, approve=True, opinion="同意")
        request = decide_write_off(request=request, user=head_office, approve=True, opinion="同意")
        assert (request.status, request.decided_by) == (WriteOffStatus.APPROVED, head_office)
        loan.refresh_from_db()
        assert loan.status == AccountStatus.WRITTEN_OFF

    def test_the_limit_is_seeded_at_five_hundred_thousand(self):
        assert Parameter.objects.get(key="write_off_director_limit").value == D("500000")

    def test_head_office_may_not_decide_what_waits_for_the_director(self, reviewed, head_office):
        with pytest.raises(PermissionRefused):
            decide_write_off(request=reviewed, user=head_office, approve=True, opinion="同意")

    def test_disagreeing_rejects_and_the_loan_stays_on_the_book(self, reviewed, director, loan):
        request = decide_write_off(
            request=reviewed, user=director, approve=False, opinion="继续追偿"
        )
        assert request.status == WriteOffStatus.REJECTED
        loan.refresh_from_db()
        assert loan.status == AccountStatus.OVERDUE

    def test_it_refuses_a_decider_who_reviewed_it(self, asked, make_user):
        both = make_user("reviewer_director", "reviewer", "director")
        request = review_write_off(request=asked, user=both, agree=True, opinion="同意")
        with pytest.raises(SeparationOfDutiesError):
            decide_write_off(request=request, user=both, approve=True, opinion="同意")

    def test_it_refuses_head_office_that_escalated_it_as_director(self, reviewed, make_user):
        Parameter.objects.filter(key="write_off_director_limit").update(value=D("1000"))
        both = make_user("director_head", "director", "head_office")
        request = decide_write_off(request=reviewed, user=both, approve=True, opinion="上报")
        with pytest.raises(SeparationOfDutiesError):
            decide_write_off(request=request, user=both, approve=True, opinion="同意")

    def test_it_refuses_a_decision_before_the_review_and_an_empty_opinion(
        self, asked, reviewed, director
    ):
        with pytest.raises(DomainError, match="reasons in writing"):
            decide_write_off(request=reviewed, user=director, approve=True, opinion="")

    def test_it_refuses_deciding_before_the_review(self, asked, director):
        with pytest.raises(InvalidTransition):
            decide_write_off(request=asked, user=director, approve=True, opinion="同意")

    def test_it_refuses_to_write_off_once_the_case_was_closed(self, reviewed, director, case):
        type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=TODAY)
        with pytest.raises(DomainError, match="only be rejected"):
            decide_write_off(request=reviewed, user=director, approve=True, opinion="同意")
        assert (
            decide_write_off(
                request=reviewed, user=director, approve=False, opinion="已结清"
            ).status
            == WriteOffStatus.REJECTED
        )


def test_it_refuses_an_unknown_kind_of_evidence(case, collections_officer):
    with pytest.raises(RuleViolations, match="Unknown kind"):
        ask(case, collections_officer, kinds=("judgment", "enforcement", "selfie"))
