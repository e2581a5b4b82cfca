from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "amicable.files"
    verbose_name = "Files and ledger"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models import Field, ForeignObject

        from amicable.files import checks  # noqa: F401 (registers the system checks)
        from amicable.files.append_only import register_sqlite_function
        from amicable.files.lookups import AnyOf

        # Relations keep lookups of their own (Django merges them only up to ForeignObject).
        Field.register_lookup(AnyOf)
        ForeignObject.register_lookup(AnyOf)
        # The function the SQLite triggers of the books ask (amicable.files.append_only).
        connection_created.connect(register_sqlite_function, dispatch_uid="amicable-books")
