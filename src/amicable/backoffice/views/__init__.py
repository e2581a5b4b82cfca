"""The back office's pages: each view parses its input, calls one write or read, renders.

Every view but the sign-in steps is wrapped in :func:`amicable.backoffice.access.staff_view`
with the permission it needs; ``tests/backoffice/test_permissions.py`` checks that none is
missing.
"""
