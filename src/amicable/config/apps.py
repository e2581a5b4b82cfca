"""The admin application with the project's own site (``amicable.config.admin_site``)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    # Django's documented way to replace ``admin.site``: every registration in the apps'
    # admin.py goes to this site, and nothing else needs to know.
    default_site = "amicable.config.admin_site.StaffAdminSite"
