"""A proof sent on the portal by the debtor of the portal's cast (``tests.portal.conftest``)."""

from __future__ import annotations

from tests.portal.conftest import cast  # noqa: F401
