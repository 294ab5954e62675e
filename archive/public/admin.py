from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from archive.accounts.access import signed_in_user
from archive.public.models import AccessRecord, Concern
from archive.public.services import HANDLE_PERMISSION, mark_concerns_handled


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


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    """The archivists' queue of removal and correction requests from the public site."""

    list_display = ["created_at", "reference", "kind", "status", "handled_by", "handled_at"]
    list_filter = ["status", "kind", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["handled_by"]
    search_fields = ["reference", "message", "name", "contact"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "testimony_link",
        "reference",
        "kind",
        "message",
        "name",
        "contact",
        "created_at",
        "status",
        "handled_by",
        "handled_at",
    ]
    fields = [*readonly_fields, "notes"]
    actions = ["mark_handled"]

    @admin.display(description="testimony")
    def testimony_link(self, concern: Concern) -> str:
        if concern.testimony_id is None:
            return "—"
        url = reverse("admin:testimonies_testimony_change", args=[concern.testimony_id])
        return format_html('<a href="{}">{}</a>', url, concern.reference)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # concerns come from the public form

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the queue is a record of what narrators asked

    def has_handle_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(HANDLE_PERMISSION))

    @admin.action(description="Mark the selected concerns handled", permissions=["handle"])
    def mark_handled(self, request: HttpRequest, queryset: QuerySet[Concern]) -> None:
        try:
            count = mark_concerns_handled(list(queryset), actor=signed_in_user(request))
        except PermissionDenied as error:
            self.message_user(request, str(error), level=messages.ERROR)
            return
        self.message_user(request, f"{count} concern(s) marked handled.", level=messages.SUCCESS)
