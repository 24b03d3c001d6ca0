from django import template

from sablier.web.labels import LABELS

register = template.Library()


@register.filter
def label(identifier: str) -> str:
    """`{{ case.state|label }}` → "awaiting approval" / "en attente d'approbation"."""
    return str(LABELS.get(identifier, identifier))
