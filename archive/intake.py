"""Nothing lost between desk and archive: each workflow step that produces a paper announces it
as an expected item, in the step's own transaction.

Every step writes an audit row (``loancenter.audit.record``) in the transaction of the step, so a
single ``post_save`` receiver on ``AuditEvent`` keyed by the action sees them all without the
earlier apps knowing about the archive. Each paper has a ``source`` key ("contract:17"), unique
on ArchiveItem, so a step announced twice makes one item.
"""

from __future__ import annotations

from collections.abc import Callable

from applications.models import LoanApplication
from collateral.models import CollateralKind
from loancenter.models import AuditEvent
from loans.models import LoanAccount

from .models import Category
from .services.items import ensure_dossier, expect_item


def on_audit_event(sender, instance: AuditEvent, created: bool, raw: bool = False, **kwargs):
    """``post_save`` receiver: hand the step to its intake function, if it has one."""
    if raw or not created:
        return
    intake = INTAKES.get(instance.action)
    if intake is None:
        return
    application = _application_of(instance)
    if application is not None:
        intake(application, instance)


def _application_of(event: AuditEvent) -> LoanApplication | None:
    if event.content_type_id is None:
        return None
    model = event.content_type.model_class()
    if model is LoanApplication:
        return (
            LoanApplication.objects.select_related("customer", "product")
            .filter(pk=event.object_id)
            .first()
        )
    if model is LoanAccount:
        account = LoanAccount.objects.filter(pk=event.object_id).first()
        return account.application if account else None
    return None


def _actor(event: AuditEvent):
    return event.actor


def dossier_opened(application, event):
    """The customer's dossier is made with their first application."""
    ensure_dossier(application.customer, by=_actor(event))


def survey_report(application, event):
    _expect(
        application,
        event,
        source=f"survey:{application.pk}",
        category=Category.SURVEY_APPROVAL,
        title=f"调查报告 {application.number}",
    )


def approval_sheet(application, event):
    _expect(
        application,
        event,
        source=f"approval:{application.pk}",
        category=Category.SURVEY_APPROVAL,
        title=f"审批表 {application.number}",
    )


def signed_contracts(application, event):
    """Each signed contract: the loan contract and every security contract."""
    from loans.services.contracts import contract_title, contracts_of

    for contract in contracts_of(application):
        if contract.signed_on is None:
            continue
        _expect(
            application,
            event,
            source=f"contract:{contract.pk}",
            category=Category.LEGAL,
            title=f"{contract_title(contract)} {contract.number}（{contract.party}）",
        )


def certificates(application, event):
    """他项权证 (or the pledged-rights certificate) the registrar has handed over: vital."""
    registrations = application.registrations.filter(handed_over_at__isnull=False)
    for registration in registrations.select_related("collateral"):
        pledged = registration.collateral.kind == CollateralKind.PLEDGED_RIGHT
        name = "权利质押凭证" if pledged else "他项权证"
        _expect(
            application,
            event,
            source=f"certificate:{registration.pk}",
            category=Category.LEGAL,
            title=f"{name} {registration.certificate_number}",
            is_vital=True,
        )


def disbursed(application, event):
    """The IOU (借据), and the insurance policy of an insured loan (vital)."""
    account = LoanAccount.objects.filter(application=application).first()
    if account is not None:
        _expect(
            application,
            event,
            source=f"iou:{account.pk}",
            category=Category.ACCOUNTING,
            title=f"借款借据 {account.number}",
            account=account,
        )
    for policy in application.insurance_policies.all():
        _expect(
            application,
            event,
            source=f"policy:{policy.pk}",
            category=Category.LEGAL,
            title=f"保险单 {policy.insurer} {policy.policy_number}",
            is_vital=True,
            account=account,
        )


def _expect(application, event, *, source, category, title, is_vital=False, account=None):
    if account is None:
        account = LoanAccount.objects.filter(application=application).first()
    expect_item(
        customer=application.customer,
        source=source,
        category=category,
        title=title,
        is_vital=is_vital,
        application=application,
        account=account,
        by=_actor(event),
    )


INTAKES: dict[str, Callable] = {
    "create": dossier_opened,
    "complete_survey": survey_report,
    "approve": approval_sheet,
    "sign_contracts": signed_contracts,
    "hand_over_certificate": certificates,
    "disburse": disbursed,
}
