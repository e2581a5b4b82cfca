from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "amicable.files"
    verbose_name = "Files and ledger"
