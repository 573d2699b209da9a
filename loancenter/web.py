"""Small helpers for thin views."""

from django.contrib import messages

from .errors import DomainError, RuleViolations


def show_refusal(request, error: DomainError) -> None:
    """Put a service's refusal on the page: one message per broken rule."""
    for message in error.messages if isinstance(error, RuleViolations) else [error.message]:
        messages.error(request, message)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")
