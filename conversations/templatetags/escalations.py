from django import template

from conversations import escalations

register = template.Library()


@register.filter
def reason_label(code):
    return escalations.describe(code).label


@register.filter
def reason_advice(code):
    return escalations.describe(code).advice
