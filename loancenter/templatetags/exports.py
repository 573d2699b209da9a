"""For ``templates/includes/export_links.html``: does the filter hold more than an export takes?"""

from django import template

from loancenter.exports import EXPORT_CAP

register = template.Library()


@register.filter
def exceeds_export_cap(count) -> bool:
    try:
        return int(count) > EXPORT_CAP
    except (TypeError, ValueError):
        return False


@register.simple_tag
def export_cap() -> int:
    return EXPORT_CAP
