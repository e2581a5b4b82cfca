from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "amicable.workflow"
