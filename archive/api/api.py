"""The JSON API (django-ninja), mounted at /api/."""

from ninja import NinjaAPI

api = NinjaAPI(title="Testimony Archive API", version="1", urls_namespace="api")
