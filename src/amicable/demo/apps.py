from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "amicable.demo"
    verbose_name = "Demo data"
