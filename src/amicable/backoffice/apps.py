from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "amicable.backoffice"

    def ready(self) -> None:
        from amicable.backoffice.models import SignInFailure
        from amicable.privacy.retention import register_throttle_records

        # User names typed and addresses of failed staff sign-ins: a year at most.
        register_throttle_records(SignInFailure, label="staff sign-in failures")
