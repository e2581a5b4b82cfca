from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "amicable.files"
    verbose_name = "Files and ledger"

    def ready(self) -> None:
        from django.db.models import Field, ForeignObject

        from amicable.files import checks  # noqa: F401 (registers the system checks)
        from amicable.files.lookups import AnyOf

        # Relations keep lookups of their own (Django merges them only up to ForeignObject).
        Field.register_lookup(AnyOf)
        ForeignObject.register_lookup(AnyOf)
