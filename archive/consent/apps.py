from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "archive.consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        from archive.consent import signals  # noqa: F401 (connects the receivers)
