from django.urls import path

from archive.api import oai
from archive.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("oai/", oai.endpoint, name="oai"),
]
