"""Errors a user can cause. Services raise them; views turn them into a message on the page."""


class DomainError(Exception):
    """A business rule refused the action. ``message`` is shown to the user as it is."""

    def __init__(self, message, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


class PermissionRefused(DomainError):
    """The user's roles do not allow the action."""

    def __init__(self, message, *, code: str = "permission"):
        super().__init__(message, code=code)


class SeparationOfDutiesError(DomainError):
    """The action would give one person two duties that must stay apart (审贷分离)."""

    def __init__(self, message, *, code: str = "separation_of_duties"):
        super().__init__(message, code=code)


class InvalidTransition(DomainError):
    """The object is not in a state that allows the action (someone may have acted first)."""

    def __init__(self, message, *, code: str = "invalid_transition"):
        super().__init__(message, code=code)


class AuditIsAppendOnly(Exception):
    """Code tried to change or remove an audit row. A programming error, never a user's."""


class RuleViolations(DomainError):
    """Several business rules failed at once; each message is shown to the user."""

    def __init__(self, messages, *, code: str = "rules"):
        self.messages = [str(message) for message in messages]
        super().__init__("; ".join(self.messages), code=code)
