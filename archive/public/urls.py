from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from archive.public import media, views
from archive.public.feeds import RecentTestimoniesFeed
from archive.public.search import search_page
from archive.public.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_page, name="search"),
    path("testimonies/<str:reference>/", views.testimony, name="testimony"),
    path("testimonies/<str:reference>/concern/", views.concern, name="concern"),
    path("testimonies/<str:reference>/concern/sent/", views.concern_sent, name="concern_sent"),
    path("collections/", views.collections, name="collections"),
    path("collections/<slug:slug>/", views.collection, name="collection"),
    path("places/", views.places, name="places"),
    path("subjects/", views.subjects, name="subjects"),
    path("feeds/testimonies.atom", RecentTestimoniesFeed(), name="testimony_feed"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("media/<int:asset_id>/", media.media_file, name="media_file"),
    path(
        "media/consent/<int:record_id>/", media.consent_evidence_file, name="consent_evidence_file"
    ),
]
