from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from archive.public.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the views that serve restricted material."""

    list_display = ["at", "user", "resource", "testimony_reference", "media_asset_id", "ip_address"]
    list_filter = ["resource", ("at", admin.DateFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "testimony__reference", "ip_address"]
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccessRecord]:
        return super().get_queryset(request).select_related("user", "testimony")

    @admin.display(description="testimony", ordering="testimony__reference")
    def testimony_reference(self, record: AccessRecord) -> str:
        if record.testimony_id is None:
            return "—"
        # Joined by get_queryset: None (not an error) for a testimony deleted since, whose
        # id the record keeps.
        testimony = record.testimony
        return testimony.reference if testimony is not None else f"#{record.testimony_id}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
