"""The back office's addresses (mounted at /backoffice/)."""

from __future__ import annotations

from django.urls import path

from amicable.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/verify/", views.verify, name="verify"),
    path("sign-in/set-up/", views.set_up_two_factor, name="setup"),
    path("sign-out/", views.sign_out, name="logout"),
    path("", views.overview, name="overview"),
    path("queues/<str:kind>/", views.queue, name="queue"),
    path("items/<int:item_id>/", views.work_item, name="item"),
    path("items/<int:item_id>/assign/", views.assign_item, name="item_assign"),
    path("items/<int:item_id>/close/", views.close_item, name="item_close"),
    path("items/<int:item_id>/requeue-letter/", views.requeue_letter, name="item_requeue_letter"),
    path("files/<str:reference>/", views.file_detail, name="file"),
    path(
        "files/<str:reference>/documents/<int:document_id>/",
        views.document,
        name="document",
    ),
    path(
        "files/<str:reference>/documents/<int:document_id>/review/",
        views.review_proof,
        name="review_proof",
    ),
    path("files/<str:reference>/note/", views.add_note, name="add_note"),
    path("files/<str:reference>/call/", views.log_call, name="log_call"),
    path("files/<str:reference>/dispute/", views.resolve_dispute, name="resolve_dispute"),
    path("files/<str:reference>/plan/", views.agree_plan, name="agree_plan"),
    path("files/<str:reference>/plan/answer/", views.answer_plan, name="answer_plan"),
    path("files/<str:reference>/letter/", views.send_letter, name="send_letter"),
    path("files/<str:reference>/resume/", views.resume, name="resume"),
    path("search/", views.search, name="search"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("audit/", views.audit, name="audit"),
    path("audit/refused-contacts/", views.refused_contacts, name="refused_contacts"),
]
