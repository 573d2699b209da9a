"""Two approvers deciding the same application at the same moment (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from applications.models import Status
from loancenter.errors import DomainError
from loancenter.models import AuditEvent
from review import services
from review.models import ApprovalDecision
from tests.origination import decision_data, reviewed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def decide_together(people, application):
    """Each person decides in their own thread and connection, released at the same instant."""
    start = threading.Barrier(len(people))
    outcomes = {}

    def decide(person):
        try:
            start.wait()
            services.decide_application(
                user=person,
                application=application,
                data=decision_data(application, reasons=f"{person.username} 同意"),
            )
            outcomes[person.username] = "decided"
        except DomainError as refusal:
            outcomes[person.username] = refusal.message
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_one_decision_lands_and_the_other_approver_is_told_who_decided_first(
    origination, loan_officer, investigator, reviewer, make_user
):
    first = make_user("approver_a", "approver", last_name="甲", first_name="审批")
    second = make_user("approver_b", "approver", last_name="乙", first_name="审批")
    application = reviewed(loan_officer, investigator, reviewer)

    outcomes = decide_together([first, second], application)

    winners = [name for name, outcome in outcomes.items() if outcome == "decided"]
    assert len(winners) == 1, outcomes
    winner = first if winners[0] == first.username else second
    loser = second if winner is first else first
    assert winner.display_name in outcomes[loser.username]
    assert "已批准" in outcomes[loser.username]
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert ApprovalDecision.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(object_id=str(application.pk), action="approve").count() == 1
