from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from tadamun.api.api import api
from tadamun.record import views as record_views
from tadamun.statements import exports
from tadamun.statements import views as statement_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # The admin's language switch: a cookie, since the admin's addresses carry no language.
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("healthz", statement_views.healthz, name="healthz"),
    path("data/record.jsonl", record_views.record, name="record"),
    path("data/record/checkpoint", record_views.checkpoint, name="record_checkpoint"),
    path("data/record/key", record_views.key, name="record_key"),
    path("data/record/proof/consistency", record_views.consistency, name="record_consistency"),
    path("data/record/proof/inclusion", record_views.inclusion, name="record_inclusion"),
    path("data/<slug:slug>/signatories.json", exports.export_json, name="export_json"),
    path("data/<slug:slug>/signatories.csv", exports.export_csv, name="export_csv"),
]
urlpatterns += i18n_patterns(
    path("", include("tadamun.statements.urls")),
    path("", include("tadamun.signatures.urls")),
    path("desk/", include("tadamun.desk.urls")),
    path("desk/passkeys/", include("tadamun.accounts.passkeys")),
    prefix_default_language=True,
)
