"""Template filters that put the codes a page reads into the staff member's words: states,
components, event kinds, actors, work items (``amicable.files.labels``,
``amicable.files.timeline.EVENT_LABELS``, ``amicable.backoffice.presenters``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.translation import gettext as _

from amicable.backoffice import presenters
from amicable.files.labels import component_label, state_label
from amicable.files.models import Event, WorkItem
from amicable.files.timeline import event_label
from amicable.payments.models import MovementStatus

register = template.Library()

register.filter("state_label", state_label)
register.filter("component_label", component_label)
register.filter("event_label", event_label)
register.filter("actor_label", presenters.actor_label)


@register.filter
def eur(amount: object) -> str:
    """An amount the way of the staff member's language; a figure some reads keep as text
    (a suggestion's balance) is read first, anything else is shown as it is."""
    if amount is None or amount == "":
        return ""
    try:
        return presenters.eur(amount if isinstance(amount, Decimal) else Decimal(str(amount)))
    except (InvalidOperation, ValueError):
        return str(amount)


@register.filter
def movement_status(code: str) -> str:
    """A bank movement's status in words (``payments.models.MovementStatus``)."""
    try:
        return str(MovementStatus(code).label)
    except ValueError:
        return code


@register.simple_tag
def colon() -> str:
    """``{% colon %}``: ": ", with a no-break space before it in French."""
    return presenters.colon()


@register.filter
def event_detail(event: Event) -> str:
    return presenters.event_detail(event)


@register.filter
def item_title(item: WorkItem) -> str:
    return presenters.work_item_title(item)


@register.filter
def ago(moment: datetime | None) -> str:
    """How long ago, never "0 minutes ago": under a minute is "just now" (Django's
    ``naturaltime`` would say "il y a 0 minute" of a second ago)."""
    if moment is None:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return _("just now")
    return str(naturaltime(moment))
