from django.contrib import admin
from django.urls import include, path

from archive import health

admin.site.site_header = "Testimony Archive"
admin.site.site_title = "Testimony Archive staff"
admin.site.index_title = "Curation"

urlpatterns = [
    path("", include("archive.public.urls")),
    path("accounts/", include("archive.accounts.urls")),
    path("", include("archive.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
