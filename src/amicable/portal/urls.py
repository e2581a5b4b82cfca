"""The portal's addresses (mounted at the site root)."""

from __future__ import annotations

from django.urls import path

from amicable.portal import views

app_name = "portal"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("files/", views.file_list, name="files"),
    path("files/<str:reference>/", views.file_detail, name="file"),
    path("files/<str:reference>/statement.pdf", views.statement, name="statement"),
    path("files/<str:reference>/pay/", views.pay, name="pay"),
    path("files/<str:reference>/plan/", views.plan, name="plan"),
    path("files/<str:reference>/payments/", views.payments, name="payments"),
    path("files/<str:reference>/documents/<int:document_id>/", views.document, name="document"),
    path("files/<str:reference>/disagree/", views.disagree, name="disagree"),
    path("files/<str:reference>/disagree/<slug:slug>/", views.dispute_path, name="dispute"),
    path("files/<str:reference>/difficulties/", views.difficulties, name="difficulties"),
    path(
        "files/<str:reference>/difficulties/mediation/",
        views.declare_mediation,
        name="declare_mediation",
    ),
    path(
        "files/<str:reference>/difficulties/settlement/",
        views.declare_settlement,
        name="declare_settlement",
    ),
    path("check/", views.check, name="check"),
    path("check/report/", views.report_phishing, name="report"),
    path("rights/", views.rights, name="rights"),
    path("faq/", views.faq_page, name="faq"),
]

if views.bench_enabled():
    urlpatterns.append(path("bench-ping/", views.bench_ping, name="bench_ping"))
