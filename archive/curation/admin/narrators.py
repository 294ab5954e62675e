"""The narrators' pages: how they asked to be named, and their identities (archivists only)."""

from datetime import datetime
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern

from archive.accounts.access import signed_in_user
from archive.lib.admin_actions import object_action_path, object_of_change_page, run_object_action
from archive.lib.arguments import strict_int
from archive.lib.errors import WorkflowError
from archive.publishing.consent_changes import record_identity_edit, record_naming, verify_naming
from archive.publishing.permissions import (
    NAMING_VERIFY_PERMISSION,
    can_record_naming,
    can_verify_naming,
)
from archive.testimonies.models import (
    Narrator,
    NarratorIdentity,
)


class IdentitySearchMixin:
    """Lets those who may open narrators' identities also search by real name.

    Everyone else searches public attributions only: matching a real name to a pseudonym
    would disclose it.
    """

    identity_path: str

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        fields = list(super().get_search_fields(request))  # type: ignore[misc]
        if request.user.has_perm("testimonies.view_narratoridentity"):
            fields += [
                f"{self.identity_path}__given_name",
                f"{self.identity_path}__family_name",
                f"{self.identity_path}__name_in_original_script",
            ]
        return fields


class NarratorIdentityInline(admin.StackedInline):
    model = NarratorIdentity
    can_delete = False
    fields = [
        ("given_name", "family_name"),
        "name_in_original_script",
        "other_names",
        ("email", "phone"),
        "postal_address",
        "notes",
    ]


NAMING_FIELDS = ("attribution", "pseudonym")


@admin.action(
    description="Verify how the selected narrators asked to be named",
    permissions=["verify_naming"],
)
def verify_naming_selected(
    modeladmin: Any, request: HttpRequest, queryset: QuerySet[Narrator]
) -> None:
    for narrator in queryset.order_by("pk"):
        try:
            verify_naming(narrator, actor=signed_in_user(request))
        except WorkflowError as error:
            messages.error(request, f"{narrator}: {error.message}")
        else:
            messages.success(request, f"{narrator}: how they asked to be named is verified.")


@admin.register(Narrator)
class NarratorAdmin(IdentitySearchMixin, admin.ModelAdmin):
    """How a narrator asked to be named is consent: archivists change it (through
    record_naming, audited), another archivist verifies it; everyone else reads it. Nothing
    here prints a name from the identity to those who may not open identities."""

    identity_path = "identity"
    list_display = [
        "__str__",
        "attribution",
        "naming_verified",
        "birth_year",
        "place_of_origin",
        "testimony_count",
    ]
    list_filter = ["attribution"]
    search_fields = ["pseudonym", "occupation"]
    autocomplete_fields = ["place_of_origin"]
    inlines = [NarratorIdentityInline]
    actions = [verify_naming_selected]
    # Explicit: the annotated count drops Meta.ordering, and autocomplete pages need one.
    ordering = ["pk"]
    fields = [
        "attribution",
        "pseudonym",
        "naming_status",
        "birth_year",
        "place_of_origin",
        "occupation",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Narrator]:
        return (
            super()
            .get_queryset(request)
            .select_related("identity", "place_of_origin", "naming_recorded_by")
            .select_related("naming_verified_by")
            .annotate(testimony_total=Count("testimonies"))
        )

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = list(super().get_list_display(request))
        if request.user.has_perm("testimonies.view_narratoridentity"):
            shown.insert(1, "name_shown")
        return shown

    def get_readonly_fields(self, request: HttpRequest, obj: Narrator | None = None) -> list[str]:
        readonly = [*super().get_readonly_fields(request, obj), "naming_status"]
        if not can_record_naming(signed_in_user(request)):
            readonly += NAMING_FIELDS
        return readonly

    def get_urls(self) -> list[URLPattern]:
        verify = object_action_path(
            self, "verify-naming/", self.verify_naming_view, "testimonies_narrator_verify_naming"
        )
        return [verify, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        narrator = object_of_change_page(
            Narrator.objects.select_related("naming_recorded_by", "naming_verified_by"), object_id
        )
        extra_context = extra_context or {}
        if narrator is not None:
            extra_context["naming_panel"] = {
                "status": self.naming_status(narrator),
                "can_verify": bool(can_verify_naming(signed_in_user(request), narrator)),
                # What the verifier saw: a change recorded meanwhile is not verified unseen.
                "recorded_at": narrator.naming_recorded_at.isoformat()
                if narrator.naming_recorded_at
                else "",
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def verify_naming_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        narrator = get_object_or_404(Narrator, pk=object_id)

        def verify(data: dict[str, Any]) -> str:
            seen = request.POST.get("recorded_at", "")
            try:
                recorded_at = datetime.fromisoformat(seen) if seen else None
            except ValueError:
                raise WorkflowError("Reload the page and try again.") from None
            verify_naming(
                narrator,
                actor=signed_in_user(request),
                recorded_at=recorded_at,
                checked_recording=True,
            )
            return "How the narrator asked to be named is verified."

        return run_object_action(self, request, narrator, verify)

    def has_verify_naming_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(NAMING_VERIFY_PERMISSION)

    @admin.display(description="name shown (archivists)")
    def name_shown(self, narrator: Narrator) -> str:
        return narrator.attributed_name

    @admin.display(description="naming verified", boolean=True)
    def naming_verified(self, narrator: Narrator) -> bool:
        return narrator.naming_verified

    @admin.display(description="how the naming stands")
    def naming_status(self, narrator: Narrator) -> str:
        if narrator.pk is None:
            return "Recorded when saved; another archivist then verifies it."
        if narrator.attribution == Narrator.Attribution.ANONYMOUS:
            return "Anonymous: nothing to verify."
        if narrator.naming_verified_at is not None:
            return (
                f"Verified by {narrator.naming_verified_by or 'an archivist'} on "
                f"{narrator.naming_verified_at:%d %B %Y}."
            )
        recorded = (
            f" Recorded by {narrator.naming_recorded_by} on {narrator.naming_recorded_at:%d %B %Y}."
            if narrator.naming_recorded_at
            else ""
        )
        return (
            "Waiting for another archivist's verification (action “Verify how the selected "
            f"narrators asked to be named”); until then outsiders see “{narrator.anonymous_name}”."
            + recorded
        )

    def save_model(self, request: HttpRequest, obj: Narrator, form: Any, change: bool) -> None:
        # The naming is saved through record_naming (after the identity, in save_related):
        # a plain save keeps what is stored.
        wanted = (obj.attribution, obj.pseudonym)
        if change:
            stored = Narrator.objects.get(pk=obj.pk)
            obj.attribution, obj.pseudonym = stored.attribution, stored.pseudonym
        else:
            obj.attribution, obj.pseudonym = Narrator.Attribution.ANONYMOUS, ""
        obj._wanted_naming = wanted  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        narrator = form.instance
        identity_fields = sorted(
            {
                name
                for formset in formsets
                if formset.model is NarratorIdentity
                for identity_form in formset.forms
                for name in identity_form.changed_data
            }
        )
        try:
            if change and identity_fields:
                record_identity_edit(
                    narrator, actor=signed_in_user(request), fields=identity_fields
                )
            attribution, pseudonym = getattr(
                narrator, "_wanted_naming", (narrator.attribution, narrator.pseudonym)
            )
            if (attribution, pseudonym) != (narrator.attribution, narrator.pseudonym):
                record_naming(
                    narrator,
                    actor=signed_in_user(request),
                    attribution=attribution,
                    pseudonym=pseudonym,
                )
                messages.warning(
                    request,
                    "How the narrator asked to be named was recorded. Another archivist must "
                    "verify it, and each published testimony shows the new name only once its "
                    f"new version is approved; until then outsiders see "
                    f"“{narrator.anonymous_name}”.",
                )
        except WorkflowError as error:
            raise PermissionDenied(error.message) from error

    @admin.display(description="testimonies", ordering="testimony_total")
    def testimony_count(self, narrator: Narrator) -> int:
        return narrator.testimony_total  # type: ignore[attr-defined]


@admin.register(NarratorIdentity)
class NarratorIdentityAdmin(admin.ModelAdmin):
    def save_model(
        self, request: HttpRequest, obj: NarratorIdentity, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if form.changed_data:
            record_identity_edit(
                obj.narrator, actor=signed_in_user(request), fields=list(form.changed_data)
            )

    def delete_model(self, request: HttpRequest, obj: NarratorIdentity) -> None:
        narrator = obj.narrator
        super().delete_model(request, obj)
        record_identity_edit(
            narrator, actor=signed_in_user(request), fields=["given_name", "family_name"]
        )

    list_display = [
        "narrator",
        "given_name",
        "family_name",
        "name_in_original_script",
        "updated_at",
    ]
    list_select_related = ["narrator"]
    search_fields = ["given_name", "family_name", "name_in_original_script", "other_names"]
    autocomplete_fields = ["narrator"]

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> NarratorIdentity | None:
        # Its key is the narrator's (a relation, which Django does not range-check as it
        # does integer fields): a number past any id would reach the database and fail.
        if from_field is None and strict_int(object_id) is None:
            return None
        return super().get_object(request, object_id, from_field)
