from django.urls import path, re_path

from archive.api import oai, views
from archive.api.api import api

urlpatterns = [
    path("api/tokens/", views.tokens, name="api_tokens"),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", views.not_found),
    path("oai/", oai.endpoint, name="oai"),
]
