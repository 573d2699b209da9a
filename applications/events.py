"""Signals later apps listen to (this app may not import them): sent inside the transaction."""

from django.dispatch import Signal

# Sent with ``application`` when the two-person survey is complete; review scores it.
survey_completed = Signal()
