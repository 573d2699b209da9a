def contracts_panel(user, application):
    """Context for the contracts section of the application page, or None to hide it."""
    return None
