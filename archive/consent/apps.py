from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "archive.consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from archive.consent import signals  # noqa: F401 (connects the receivers)
        from archive.lib.sqlite import turn_on_secure_delete

        # Erased rows must not stay readable in the database file's free space.
        connection_created.connect(turn_on_secure_delete, dispatch_uid="sqlite_secure_delete")
