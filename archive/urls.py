from django.contrib import admin
from django.urls import path

from archive import health
from archive.public import views as public_views

admin.site.site_header = "Testimony Archive"
admin.site.site_title = "Testimony Archive staff"
admin.site.index_title = "Curation"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
