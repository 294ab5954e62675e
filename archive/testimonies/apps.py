from django.apps import AppConfig


class TestimoniesConfig(AppConfig):
    name = "archive.testimonies"
    verbose_name = "Catalogue"
