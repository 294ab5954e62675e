from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo archive and the synthetic benchmark corpus (`seed_demo`, `generate_corpus`).

    No models: it writes the other apps' rows, through their services where a workflow step
    is taken. Nothing in the catalogue imports it."""

    name = "archive.demo"
    label = "demo"
    verbose_name = "Demo archive and synthetic corpus"
