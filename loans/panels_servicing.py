def account_panel(user, application):
    """Context for the loan account section of the application page, or None to hide it."""
    return None
