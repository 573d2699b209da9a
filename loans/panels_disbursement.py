def disbursement_panel(user, application):
    """Context for the disbursement section of the application page, or None to hide it."""
    return None
