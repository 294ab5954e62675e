from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "archive.audit"
    verbose_name = "Audit log"
