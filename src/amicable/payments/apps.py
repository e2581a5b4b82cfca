from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "amicable.payments"
