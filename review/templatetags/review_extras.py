"""Template helpers for review documents (the approval sheet)."""

from django import template

from review.models import ReviewOpinion

register = template.Library()


@register.filter
def checklist_rows(opinion: ReviewOpinion) -> list[tuple[str, bool]]:
    """The reviewer's checklist as (label, checked) pairs, in ReviewOpinion.CHECKLIST order.

    The labels stay lazy so that they are translated in the language active where they
    are rendered; an item missing from the stored dict counts as not checked.
    """
    checked = opinion.checklist if isinstance(opinion.checklist, dict) else {}
    return [(label, checked.get(code) is True) for code, label in ReviewOpinion.CHECKLIST]
