from django.contrib import admin
from django.urls import path

from archive import health
from archive.public import media
from archive.public import views as public_views
from archive.public.search import search_page

admin.site.site_header = "Testimony Archive"
admin.site.site_title = "Testimony Archive staff"
admin.site.index_title = "Curation"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("search/", search_page, name="search"),
    path("healthz", health.healthz, name="healthz"),
    path("media/<int:asset_id>/", media.media_file, name="media_file"),
    path(
        "media/consent/<int:record_id>/", media.consent_evidence_file, name="consent_evidence_file"
    ),
    path("admin/", admin.site.urls),
]
