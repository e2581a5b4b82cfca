from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "amicable.intake"
    verbose_name = "Creditor intake"
