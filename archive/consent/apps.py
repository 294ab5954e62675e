from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "archive.consent"
    verbose_name = "Consent"
