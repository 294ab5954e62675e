from django.urls import path

from archive.public import media, views
from archive.public.search import search_page

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_page, name="search"),
    path("testimonies/<str:reference>/", views.testimony, name="testimony"),
    path("media/<int:asset_id>/", media.media_file, name="media_file"),
    path(
        "media/consent/<int:record_id>/", media.consent_evidence_file, name="consent_evidence_file"
    ),
]
