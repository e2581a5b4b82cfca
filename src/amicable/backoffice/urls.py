"""The back office's addresses (mounted at /backoffice/)."""

from __future__ import annotations

from django.urls import path

from amicable.backoffice.views import (
    decisions,
    file_reads,
    files,
    queues,
    reports,
    sheets,
    sign_in,
    statements,
)

app_name = "backoffice"

urlpatterns = [
    path("sign-in/", sign_in.sign_in, name="login"),
    path("sign-in/verify/", sign_in.verify, name="verify"),
    path("sign-in/set-up/", sign_in.set_up_two_factor, name="setup"),
    path("sign-out/", sign_in.sign_out, name="logout"),
    path("", queues.overview, name="overview"),
    path("queues/<str:kind>/", queues.queue, name="queue"),
    path("items/<int:item_id>/", queues.work_item, name="item"),
    path("items/<int:item_id>/assign/", queues.assign_item, name="item_assign"),
    path("items/<int:item_id>/close/", queues.close_item, name="item_close"),
    path("items/<int:item_id>/requeue-letter/", queues.requeue_letter, name="item_requeue_letter"),
    path("items/<int:item_id>/reciprocity/", queues.decide_clause, name="item_reciprocity"),
    path("files/<str:reference>/", files.file_detail, name="file"),
    path(
        "files/<str:reference>/documents/<int:document_id>/",
        files.document,
        name="document",
    ),
    path(
        "files/<str:reference>/documents/<int:document_id>/review/",
        decisions.review_proof,
        name="review_proof",
    ),
    path("files/<str:reference>/note/", decisions.add_note, name="add_note"),
    path("files/<str:reference>/call/", decisions.log_call, name="log_call"),
    path("files/<str:reference>/dispute/", decisions.resolve_dispute, name="resolve_dispute"),
    path("files/<str:reference>/plan/", decisions.agree_plan, name="agree_plan"),
    path("files/<str:reference>/plan/answer/", decisions.answer_plan, name="answer_plan"),
    path("files/<str:reference>/letter/", decisions.send_letter, name="send_letter"),
    path("files/<str:reference>/resume/", decisions.resume, name="resume"),
    path(
        "files/<str:reference>/acknowledgement/",
        decisions.acknowledge_debt,
        name="acknowledge_debt",
    ),
    path("files/<str:reference>/declare-claim/", decisions.declare_claim, name="declare_claim"),
    path("search/", reports.search, name="search"),
    path("dashboard/", reports.dashboard, name="dashboard"),
    path("audit/", reports.audit, name="audit"),
    path("audit/refused-contacts/", reports.refused_contacts, name="refused_contacts"),
    path("audit/file-reads/", file_reads.file_reads, name="file_reads"),
    path("statements/", statements.statements_page, name="statements"),
    path("statements/movements/<int:movement_id>/", statements.movement_page, name="movement"),
    # The address the sheet import has always had.
    path("intake/upload", sheets.upload_page, name="import_files"),
]
