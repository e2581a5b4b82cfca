from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "amicable.plans"
