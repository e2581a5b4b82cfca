"""Django admin: strategies and postage are edited by staff; runs and the letter queue are read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from amicable.workflow import models
from amicable.workflow.letter_queue import requeue_letter


class StrategyStepInline(admin.TabularInline[models.StrategyStep, models.Strategy]):
    model = models.StrategyStep
    extra = 0
    fields = ("position", "kind", "delay_working_days", "channel", "charges_cost")


@admin.register(models.Strategy)
class StrategyAdmin(admin.ModelAdmin[models.Strategy]):
    list_display = ("name", "creditor", "is_default")
    inlines = (StrategyStepInline,)


@admin.register(models.Postage)
class PostageAdmin(admin.ModelAdmin[models.Postage]):
    list_display = ("valid_from", "amount", "note")


@admin.register(models.DailyRun)
class DailyRunAdmin(admin.ModelAdmin[models.DailyRun]):
    list_display = (
        "run_date",
        "status",
        "started_at",
        "finished_at",
        "files_done",
        "files_total",
        "last_file_id",
    )
    list_filter = ("status",)
    date_hierarchy = "run_date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.LetterRequest)
class LetterRequestAdmin(admin.ModelAdmin[models.LetterRequest]):
    list_display = ("file", "kind", "cycle", "step", "channel", "due_on", "status", "produced_on")
    list_filter = ("status", "kind", "channel")
    search_fields = ("file__reference",)
    raw_id_fields = ("file", "run")
    actions = ("queue_again",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Queue the selected refused letters again, due today")
    def queue_again(self, request: HttpRequest, queryset: QuerySet[models.LetterRequest]) -> None:
        today = timezone.localdate()
        actor = f"agent:{request.user.get_username()}"
        count = 0
        for letter in queryset.filter(status=models.LetterStatus.REFUSED):
            requeue_letter(request_id=letter.pk, due_on=today, actor=actor)
            count += 1
        self.message_user(request, f"{count} letter(s) queued again.", messages.SUCCESS)
