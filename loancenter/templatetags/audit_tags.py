from django import template

from loancenter import audit

register = template.Library()


@register.filter
def audit_label(code):
    """The translated label of an audit action or state code."""
    return audit.label(code) if code else ""
