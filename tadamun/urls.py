from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Tadamun"
admin.site.site_title = "Tadamun"

urlpatterns = [
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("tadamun.statements.urls")),
    path("", include("tadamun.signatures.urls")),
    prefix_default_language=True,
)
