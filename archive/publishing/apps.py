from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "archive.publishing"
    verbose_name = "Publishing"
