from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "amicable.portal"
