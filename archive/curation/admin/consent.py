from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, reverse

from archive.accounts.access import signed_in_user
from archive.audit.history import history
from archive.audit.log import record_audit
from archive.audit.models import AuditEntry
from archive.consent.models import SCOPE_FLAGS, ConsentRecord
from archive.lib.admin_actions import object_action_path, object_of_change_page, run_object_action
from archive.lib.errors import WorkflowError
from archive.lib.storage import delete_stored_file
from archive.lib.widgets import ServedFileInput
from archive.publishing.consent_changes import (
    STALE_CONSENT_EDIT_MESSAGE,
    claim_consent_edit,
    delete_consent_records,
    guard_narrator_texts,
    record_consent_edit,
    verify_consent,
    withdraw_consent,
)
from archive.testimonies.uploads import EVIDENCE, check_upload


class WithdrawalForm(forms.Form):
    scope = forms.ChoiceField(choices=ConsentRecord.WithdrawalScope.choices)
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "How the narrator asked (letter, call…), and anything else worth keeping. "
            "An erasure does not keep it: the scope, date and who recorded it stay."
        ),
    )


class ConsentRecordForm(forms.ModelForm):
    class Meta:
        model = ConsentRecord
        # The admin builds the full list from its fieldsets; this form only adds to one.
        fields = ["evidence"]

    # The version the form was opened on: a save after someone else's is refused.
    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("edited_version", self.instance.version)
        if self.instance.pk is not None and "evidence" in self.fields:
            self.fields["evidence"].widget = ServedFileInput(
                url=reverse("consent_evidence_file", args=[self.instance.pk]),
                label="the stored evidence",
            )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        if self.instance.pk is not None and (
            cleaned_data.get("edited_version") != self.instance.version
        ):
            raise forms.ValidationError(STALE_CONSENT_EDIT_MESSAGE, code="stale")
        return cleaned_data

    def clean_evidence(self) -> Any:
        evidence = self.cleaned_data.get("evidence")
        if evidence and "evidence" in self.changed_data:
            check_upload(evidence, purpose=EVIDENCE)
        return evidence


SCOPE_LABELS = {
    flag: str(cast(models.BooleanField, ConsentRecord._meta.get_field(flag)).verbose_name)
    for flag in SCOPE_FLAGS
}


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    form = ConsentRecordForm
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
                    "edited_version",
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
            obj.recorded_by = signed_in_user(request)
        else:
            claim_consent_edit(
                obj, actor=signed_in_user(request), version=form.cleaned_data.get("edited_version")
            )
        replaced = None
        if change and "evidence" in form.changed_data:
            replaced = ConsentRecord.objects.get(pk=obj.pk).evidence
        super().save_model(request, obj, form, change)
        if replaced:
            # Replaced or cleared: the old scan must not linger in the storage.
            delete_stored_file(replaced)

    def delete_model(self, request: HttpRequest, obj: ConsentRecord) -> None:
        delete_consent_records(
            ConsentRecord.objects.filter(pk=obj.pk), actor=signed_in_user(request)
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ConsentRecord]) -> None:
        delete_consent_records(queryset, actor=signed_in_user(request))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        record = form.instance
        if not change:
            record_audit("consent.record", actor=signed_in_user(request), obj=record)
            # A record that does not allow name disclosure narrows the standing consent.
            guard_narrator_texts(record.narrator, actor=signed_in_user(request))
        elif form.changed_data:
            was_verified = record.is_verified
            record_consent_edit(
                record, actor=signed_in_user(request), fields=list(form.changed_data)
            )
            if was_verified and not record.is_verified:
                messages.warning(
                    request,
                    "The terms of this consent changed: another archivist must verify it again.",
                )

    def get_urls(self) -> list[URLPattern]:
        return [
            object_action_path(self, "verify/", self.verify_view, "consent_consentrecord_verify"),
            object_action_path(
                self, "withdraw/", self.withdraw_view, "consent_consentrecord_withdraw"
            ),
            *super().get_urls(),
        ]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as error:
            # Raised inside the admin's transaction, which it rolled back: nothing saved.
            messages.error(request, error.message)
            return HttpResponseRedirect(request.get_full_path())

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        # The admin answers "not found" for an id that is no number; so must this.
        record = object_of_change_page(ConsentRecord.objects.all(), object_id)
        extra_context = extra_context or {}
        if record is not None:
            user = request.user
            extra_context["consent_panel"] = {
                "can_verify": not record.is_verified
                and not record.is_withdrawn
                and user.has_perm("consent.verify_consentrecord")
                and record.recorded_by_id != user.pk,
                # A withdrawn record may still go further, until it is erased.
                "can_withdraw": record.withdrawal_scope != ConsentRecord.WithdrawalScope.ERASE
                and user.has_perm("consent.withdraw_consentrecord"),
                "withdrawal_form": WithdrawalForm(),
                "history": history(AuditEntry.objects.for_object(record)),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def verify_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        record = get_object_or_404(ConsentRecord, pk=object_id)

        def verify(data: dict[str, Any]) -> str:
            verify_consent(record, actor=signed_in_user(request))
            return "The consent is verified and now counts."

        return run_object_action(self, request, record, verify)

    def withdraw_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        record = get_object_or_404(ConsentRecord, pk=object_id)

        def withdraw(data: dict[str, Any]) -> str:
            withdraw_consent(
                record, actor=signed_in_user(request), scope=data["scope"], note=data["note"]
            )
            covered = record.testimonies.count()
            return (
                f"The withdrawal ({record.get_withdrawal_scope_display()}) took effect on "
                f"{covered} testimon{'y' if covered == 1 else 'ies'}."
            )

        return run_object_action(
            self,
            request,
            record,
            withdraw,
            form_class=WithdrawalForm,
            invalid_message="Choose what the withdrawal does: unpublish, restrict or erase.",
        )
