from django.apps import AppConfig


class WorkItemsConfig(AppConfig):
    name = "amicable.work_items"
    verbose_name = "Work items and staff notes"
