from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "amicable.privacy"
    verbose_name = "Personal data: access, retention, reads by staff"
