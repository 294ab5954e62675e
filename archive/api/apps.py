from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "archive.api"
    label = "api"
    verbose_name = "API and harvesting"
