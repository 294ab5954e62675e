from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "archive.public"
    verbose_name = "Public site"
