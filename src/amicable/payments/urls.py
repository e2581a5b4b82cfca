"""The statement page's addresses (mounted at /backoffice/statements/)."""

from __future__ import annotations

from django.urls import path

from amicable.payments import views

app_name = "payments"

urlpatterns = [
    path("", views.statements_page, name="statements"),
    path("movements/<int:movement_id>/", views.movement_page, name="movement"),
]
