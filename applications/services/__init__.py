"""Every write a user can cause in intake and survey. See DESIGN.md, "Inside an app"."""

from .applications import (
    add_guarantor,
    create_application,
    remove_guarantor,
    submit_application,
    update_application,
    upload_document,
    withdraw_application,
)
from .customers import create_customer, update_customer
from .survey import claim_survey, confirm_survey

__all__ = [
    "add_guarantor",
    "claim_survey",
    "confirm_survey",
    "create_application",
    "create_customer",
    "remove_guarantor",
    "submit_application",
    "update_application",
    "update_customer",
    "upload_document",
    "withdraw_application",
]
