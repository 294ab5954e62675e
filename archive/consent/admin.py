from typing import Any, cast

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from archive.consent.models import ConsentRecord

SCOPE_FLAGS = [
    "allows_archiving",
    "allows_researcher_access",
    "allows_public_metadata",
    "allows_public_transcript",
    "allows_public_audio",
    "allows_public_video",
    "allows_public_images",
    "allows_public_documents",
    "allows_name_disclosure",
    "allows_quotation",
]


SCOPE_LABELS = {
    flag: str(cast(models.BooleanField, ConsentRecord._meta.get_field(flag)).verbose_name)
    for flag in SCOPE_FLAGS
}


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "narrator",
        "method",
        "given_on",
        "verified",
        "withdrawn",
        "embargo_until",
        "granted",
    ]
    list_filter = ["method", ("verified_at", admin.EmptyFieldListFilter), "withdrawal_scope"]
    search_fields = ["narrator__pseudonym", "testimonies__reference"]
    autocomplete_fields = ["narrator", "testimonies", "oral_consent_recording"]
    # Verification and withdrawal change what the public sees: they go through the consent
    # services, never through a plain edit.
    readonly_fields = [
        "recorded_by",
        "recorded_at",
        "verified_by",
        "verified_at",
        "withdrawn_at",
        "withdrawal_scope",
        "withdrawal_recorded_by",
        "withdrawal_note",
    ]
    fieldsets = [
        (None, {"fields": ["narrator", "testimonies"]}),
        (
            "How it was given",
            {
                "fields": [
                    ("given_on", "method", "obtained_by"),
                    ("oral_consent_recording", "oral_consent_at_seconds"),
                    "evidence",
                    ("form_version", "form_language", "interpreter"),
                    ("narrator_is_minor", "guardian"),
                ]
            },
        ),
        ("What it allows", {"fields": [*SCOPE_FLAGS, ("embargo_until", "review_on")]}),
        (
            "Record",
            {
                "fields": [
                    ("recorded_by", "recorded_at"),
                    ("verified_by", "verified_at"),
                    ("withdrawn_at", "withdrawal_scope", "withdrawal_recorded_by"),
                    "withdrawal_note",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ConsentRecord]:
        return super().get_queryset(request).select_related("narrator__identity")

    @admin.display(boolean=True, ordering="verified_at")
    def verified(self, record: ConsentRecord) -> bool:
        return record.is_verified

    @admin.display(boolean=True, ordering="withdrawn_at")
    def withdrawn(self, record: ConsentRecord) -> bool:
        return record.is_withdrawn

    @admin.display(description="grants")
    def granted(self, record: ConsentRecord) -> str:
        return ", ".join(SCOPE_LABELS[flag] for flag in SCOPE_FLAGS if getattr(record, flag)) or (
            "nothing"
        )

    def save_model(self, request: HttpRequest, obj: ConsentRecord, form: Any, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
