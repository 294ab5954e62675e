from django.apps import AppConfig


class PreservationConfig(AppConfig):
    name = "archive.preservation"
    verbose_name = "Preservation"
