"""The people every query-count test works with, one user per role."""

from __future__ import annotations

from dataclasses import dataclass

from loancenter import roles
from tests.factories import UserFactory


@dataclass
class World:
    officer: object
    investigator: object
    reviewer: object
    approver: object
    director: object
    head_office: object
    registrar: object
    supervisor: object
    archivist: object
    archivist2: object  # the second archivist of dual custody
    collections: object
    auditor: object

    def user(self, name: str):
        return getattr(self, name)


def make_world() -> World:
    def user(username, role):
        return UserFactory(username=username, roles=[role], last_name="测", first_name=username)

    return World(
        officer=user("officer", roles.LOAN_OFFICER),
        investigator=user("investigator", roles.INVESTIGATOR),
        reviewer=user("reviewer", roles.REVIEWER),
        approver=user("approver", roles.APPROVER),
        director=user("director", roles.DIRECTOR),
        head_office=user("head_office", roles.HEAD_OFFICE),
        registrar=user("registrar", roles.MORTGAGE_REGISTRAR),
        supervisor=user("supervisor", roles.DISBURSEMENT_SUPERVISOR),
        archivist=user("archivist", roles.ARCHIVIST),
        archivist2=user("archivist2", roles.ARCHIVIST),
        collections=user("collections", roles.COLLECTIONS_OFFICER),
        auditor=user("auditor", roles.AUDITOR),
    )
