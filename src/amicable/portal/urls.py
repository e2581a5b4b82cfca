"""The portal's addresses (mounted at the site root)."""

from __future__ import annotations

from django.urls import path

from amicable.portal.views import disagreeing, files, my_data, paying, public, sign_in

app_name = "portal"

urlpatterns = [
    path("sign-in/", sign_in.sign_in, name="sign_in"),
    path("sign-out/", sign_in.sign_out, name="sign_out"),
    path("files/", files.file_list, name="files"),
    path("my-data/", my_data.download_my_data, name="my_data"),
    path("files/<str:reference>/", files.file_detail, name="file"),
    path("files/<str:reference>/statement.pdf", files.statement, name="statement"),
    path("files/<str:reference>/pay/", paying.pay, name="pay"),
    path("files/<str:reference>/plan/", paying.plan, name="plan"),
    path("files/<str:reference>/payments/", paying.payments, name="payments"),
    path("files/<str:reference>/documents/<int:document_id>/", files.document, name="document"),
    path("files/<str:reference>/disagree/", disagreeing.disagree, name="disagree"),
    path("files/<str:reference>/disagree/<slug:slug>/", disagreeing.dispute_path, name="dispute"),
    path("files/<str:reference>/difficulties/", disagreeing.difficulties, name="difficulties"),
    path(
        "files/<str:reference>/difficulties/mediation/",
        disagreeing.declare_mediation,
        name="declare_mediation",
    ),
    path(
        "files/<str:reference>/difficulties/settlement/",
        disagreeing.declare_settlement,
        name="declare_settlement",
    ),
    path("check/", public.check, name="check"),
    path("check/report/", public.report_phishing, name="report"),
    path("rights/", public.rights, name="rights"),
    path("faq/", public.faq_page, name="faq"),
]

if public.bench_enabled():
    urlpatterns.append(path("bench-ping/", public.bench_ping, name="bench_ping"))
