"""Errors raised by the domain core.

Every rule that refuses something raises a subclass of :class:`DomainError` whose message says
what is wrong and what a person can do about it (in the style of ``stdnum.exceptions``). Modules
add their own subclasses next to the rule they belong to; this module holds the base class and the
errors shared by several modules.
"""

from __future__ import annotations

__all__ = ["DomainError", "UnknownRateError"]


class DomainError(Exception):
    """Base class of every error raised by a rule of the domain core.

    The message is meant for a person (an agent, an administrator, a creditor): it names the
    value at fault and, where there is one, the way out.

    >>> str(DomainError("The file is suspended; resolve the dispute first."))
    'The file is suspended; resolve the dispute first.'
    """


class UnknownRateError(DomainError):
    """No published interest rate is known for a day.

    Rates are data published in the Moniteur belge; the domain never guesses a missing one. The
    way out is for an administrator to add the rate to the table.
    """
