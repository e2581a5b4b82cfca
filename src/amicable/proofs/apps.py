from django.apps import AppConfig


class ProofsConfig(AppConfig):
    name = "amicable.proofs"
    verbose_name = "Proofs of payment"
