from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "archive.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from archive.search import signals  # noqa: F401 (connects the receivers)
