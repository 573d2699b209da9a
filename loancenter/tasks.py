from celery import shared_task

from . import outbox


@shared_task(name="loancenter.flush_outbox", ignore_result=True)
def flush_outbox() -> dict[str, int]:
    """Beat, every minute: publish the tasks that waited in the outbox while Redis was down."""
    return outbox.flush_outbox()
