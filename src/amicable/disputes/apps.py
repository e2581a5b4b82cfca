from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "amicable.disputes"
