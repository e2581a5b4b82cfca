from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "amicable.portal"

    def ready(self) -> None:
        from amicable.portal.models import ThrottledAttempt
        from amicable.privacy.retention import register_throttle_records

        # Addresses and file numbers of sign-ins, checks, downloads and uploads: a year at most.
        register_throttle_records(ThrottledAttempt, label="portal throttle records")
