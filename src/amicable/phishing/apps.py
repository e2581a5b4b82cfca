from django.apps import AppConfig


class PhishingConfig(AppConfig):
    name = "amicable.phishing"
    verbose_name = "Phishing reports and fraud campaigns"
