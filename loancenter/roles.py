"""The center's roles (permission groups) and the separation-of-duty rules between them.

Two kinds of separation are enforced:

* per user — some roles may never be held together by one person (RULES.md §1: the mortgage
  registrar may not also be reviewer, approver or disbursement supervisor);
* per object — on one application the investigators, reviewer, approver, registrar and
  disbursement supervisor are different people (审贷分离). Who did what on an object is read from
  the append-only audit trail, so the rule cannot be bypassed by editing a field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatch

from django.utils.translation import gettext_lazy as _

from .errors import SeparationOfDutiesError

LOAN_OFFICER = "loan_officer"
INVESTIGATOR = "investigator"
REVIEWER = "reviewer"
APPROVER = "approver"
DIRECTOR = "director"
HEAD_OFFICE = "head_office"
MORTGAGE_REGISTRAR = "mortgage_registrar"
DISBURSEMENT_SUPERVISOR = "disbursement_supervisor"
ARCHIVIST = "archivist"
COLLECTIONS_OFFICER = "collections_officer"
AUDITOR = "auditor"


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    duties: str
    # Model permissions the group is given, as "app_label.codename" patterns.
    permissions: tuple[str, ...] = ()


ROLES: dict[str, Role] = {
    role.code: role
    for role in (
        Role(
            LOAN_OFFICER,
            _("Loan officer"),
            _(
                "Markets loans, takes applications and enters customer data, is the first "
                "investigator, has contracts signed, does post-loan checks and collects loans "
                "up to 30 days overdue."
            ),
        ),
        Role(
            INVESTIGATOR,
            _("Investigator"),
            _(
                "Investigates each application together with the loan officer (two-person "
                "survey) and writes a survey report with a clear opinion."
            ),
        ),
        Role(
            REVIEWER,
            _("Reviewer"),
            _(
                "Reviews completeness and compliance, proposes amount, term and rate, and "
                "reviews changes after disbursement."
            ),
        ),
        Role(
            APPROVER,
            _("Approver"),
            _("Decides applications within the delegated authority limit."),
        ),
        Role(
            DIRECTOR,
            _("Center director"),
            _(
                "Decides within a higher limit, watches asset quality on the dashboard, "
                "approves classification changes and archive destruction."
            ),
            ("loancenter.view_auditevent",),
        ),
        Role(
            HEAD_OFFICE,
            _("Head office approval"),
            _("Decides applications escalated above the center's authority."),
        ),
        Role(
            MORTGAGE_REGISTRAR,
            _("Mortgage registrar"),
            _(
                "Registers mortgages, keeps the registration ledger and hands the "
                "certificates to the disbursement supervisor."
            ),
        ),
        Role(
            DISBURSEMENT_SUPERVISOR,
            _("Disbursement supervisor"),
            _("Checks every pre-condition before funds are released, then disburses."),
        ),
        Role(
            ARCHIVIST,
            _("Archivist"),
            _(
                "Keeps every loan file per customer, the vault of vital vouchers, borrowing, "
                "hand-over, inspection and approved destruction."
            ),
        ),
        Role(
            COLLECTIONS_OFFICER,
            _("Collections officer"),
            _(
                "Collects loans more than 30 days overdue, files insurance claims and legal "
                "action past 90 days, keeps collecting after write-off."
            ),
        ),
        Role(
            AUDITOR,
            _("Auditor"),
            _("Reads everything and changes nothing."),
            ("*.view_*",),
        ),
    )
}

ROLE_CODES: tuple[str, ...] = tuple(ROLES)

# Roles one person may never hold together (fixed, RULES.md §1).
CONFLICTING_ROLES: frozenset[frozenset[str]] = frozenset(
    frozenset({MORTGAGE_REGISTRAR, other})
    for other in (REVIEWER, APPROVER, DISBURSEMENT_SUPERVISOR)
)


def role_label(code: str) -> str:
    role = ROLES.get(code)
    return str(role.label) if role else code


def user_role_codes(user) -> set[str]:
    """The role codes of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_codes", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLE_CODES).values_list("name", flat=True))
        user._role_codes = cached
    return cached


def has_role(user, *codes: str) -> bool:
    return bool(user_role_codes(user) & set(codes))


def conflicting_role_pairs(codes: Iterable[str]) -> list[tuple[str, str]]:
    held = set(codes)
    return sorted(tuple(sorted(pair)) for pair in CONFLICTING_ROLES if pair <= held)


def assert_roles_compatible(codes: Iterable[str]) -> None:
    """Refuse a set of roles that one person may not hold together."""
    pairs = conflicting_role_pairs(codes)
    if pairs:
        first, second = pairs[0]
        raise SeparationOfDutiesError(
            _("Separation of duties: one person may not be both %(first)s and %(second)s.")
            % {"first": role_label(first), "second": role_label(second)}
        )


def permission_patterns(code: str) -> tuple[str, ...]:
    return ROLES[code].permissions


def permission_matches(pattern: str, app_label: str, codename: str) -> bool:
    return fnmatch(f"{app_label}.{codename}", pattern)


# --- per-object duties ----------------------------------------------------------------------

INVESTIGATION = "investigation"
REVIEW = "review"
APPROVAL = "approval"
REGISTRATION = "registration"
DISBURSEMENT = "disbursement"

DUTY_LABELS = {
    INVESTIGATION: _("investigation"),
    REVIEW: _("review"),
    APPROVAL: _("approval"),
    REGISTRATION: _("mortgage registration"),
    DISBURSEMENT: _("disbursement"),
}

# On one object, a person who has done one of these may not do another of them.
_DUTY_CONFLICTS: dict[str, frozenset[str]] = {
    INVESTIGATION: frozenset({REVIEW, APPROVAL, DISBURSEMENT}),
    REVIEW: frozenset({INVESTIGATION, APPROVAL, REGISTRATION, DISBURSEMENT}),
    APPROVAL: frozenset({INVESTIGATION, REVIEW, REGISTRATION, DISBURSEMENT}),
    REGISTRATION: frozenset({REVIEW, APPROVAL, DISBURSEMENT}),
    DISBURSEMENT: frozenset({INVESTIGATION, REVIEW, APPROVAL, REGISTRATION}),
}


def duties_conflicting_with(duty: str) -> frozenset[str]:
    try:
        return _DUTY_CONFLICTS[duty]
    except KeyError:
        raise ValueError(f"unknown duty {duty!r}") from None


def has_conflicting_duty(*, obj, user, duty: str) -> bool:
    from .audit import duties_done_by

    return bool(duties_done_by(obj=obj, user=user) & duties_conflicting_with(duty))


def assert_separate_duties(*, obj, user, duty: str) -> None:
    """Refuse ``user`` taking ``duty`` on ``obj`` when they already did a conflicting duty.

    Services call this before a transition, inside their transaction.
    """
    from .audit import duties_done_by  # the audit module imports models; keep roles light

    done = duties_done_by(obj=obj, user=user) & duties_conflicting_with(duty)
    if done:
        earlier = sorted(done)[0]
        raise SeparationOfDutiesError(
            _(
                "Separation of duties: you already did the %(earlier)s of this item, "
                "so you may not also do its %(duty)s."
            )
            % {"earlier": DUTY_LABELS[earlier], "duty": DUTY_LABELS[duty]}
        )
