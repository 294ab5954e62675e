"""The catalogue's pages: testimonies with their transcripts and files, and the spreadsheet
import."""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from archive.accounts.access import signed_in_user
from archive.curation.admin.narrators import IdentitySearchMixin
from archive.curation.admin.publishing import (
    WorkflowAdminMixin,
    approve_selected,
    status_label,
    submit_selected,
)
from archive.lib.errors import WorkflowError
from archive.lib.widgets import ServedFileInput
from archive.preservation.exporting import export_testimonies_csv
from archive.preservation.importing import (
    ImportReport,
    StaleImportError,
    confirm_import,
    end_previews,
    stage_import,
)
from archive.preservation.tabular import (
    COLUMNS,
    LIST_SEPARATOR,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    template_csv,
)
from archive.publishing.services import STALE_EDIT_MESSAGE, claim_edit, record_edit
from archive.testimonies.models import (
    MediaAsset,
    Testimony,
    TestimonyQuerySet,
    Transcript,
    TranscriptSegment,
)
from archive.testimonies.services import (
    create_testimony,
    delete_media_asset,
    delete_testimonies,
    delete_testimony,
)
from archive.testimonies.uploads import (
    PURPOSE_NOUNS,
    accepted_mime_types,
    check_upload,
    describe_media,
)


class LanguageFilter(admin.SimpleListFilter):
    title = "language"
    parameter_name = "language"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        languages = (
            Transcript.objects.order_by("language").values_list("language", flat=True).distinct()
        )
        return [(language, language) for language in languages]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(transcripts__language=self.value())
        return queryset


class TestimonyVersionForm(forms.ModelForm):
    """A change form that carries, hidden, the version of the testimony it was opened on,
    so that saving it after someone else saved the testimony is refused instead of
    silently undoing their change. A testimony's version covers its transcripts and media
    too: they are edited inline on its page."""

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def edited_testimony(self) -> Testimony | None:
        return self.instance if self.instance.pk is not None else None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        testimony = self.edited_testimony()
        if testimony is not None:
            self.initial.setdefault("edited_version", testimony.version)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        testimony = self.edited_testimony()
        # The common case, caught before saving with the editor's text still in the form
        # (to copy from); claim_edit catches the race between two saves.
        if testimony is not None and cleaned_data.get("edited_version") != testimony.version:
            raise forms.ValidationError(STALE_EDIT_MESSAGE, code="stale")
        return cleaned_data


class ClaimsTestimonyEdit:
    """Admin behaviour for a change form built on TestimonyVersionForm: the save claims
    the testimony's next version first (publishing.services.claim_edit), and a refused
    claim, which rolled the whole save back, comes back as a message."""

    def edited_testimony_of(self, obj: Any) -> Testimony:
        return cast(Testimony, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            claim_edit(
                self.edited_testimony_of(obj),
                actor=signed_in_user(request),
                version=form.cleaned_data.get("edited_version"),
            )
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(  # type: ignore[misc]
                request, object_id, form_url, extra_context
            )
        except WorkflowError as error:
            # Raised inside the admin's transaction, which it rolled back: nothing saved.
            messages.error(request, error.message)
            return HttpResponseRedirect(request.get_full_path())


class TranscriptFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        originals = sum(1 for form in kept if form.cleaned_data.get("is_original"))
        if kept and originals != 1:
            raise forms.ValidationError(
                "Mark exactly one transcript as the original; every other one is a translation."
            )


class TranscriptInline(admin.StackedInline):
    model = Transcript
    formset = TranscriptFormSet
    extra = 0
    fields = [("language", "is_original", "translator"), "text"]
    show_change_link = True


class MediaAssetForm(forms.ModelForm):
    class Meta:
        model = MediaAsset
        fields = ["kind", "file", "caption", "duration_seconds", "access_level"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None or "file" not in self.fields:
            return  # a new file, or a page only to view (every field read-only)
        file_field = self.fields["file"]
        file_field.widget = ServedFileInput(
            url=reverse("media_file", args=[self.instance.pk]),
            label=self.instance.original_name or "the stored file",
        )
        file_field.widget.is_required = file_field.required  # no "Clear" box
        # A stored file is never swapped: approved revisions and fixity checks hold its
        # checksum. Delete the media file and add a new one instead.
        file_field.disabled = True
        file_field.help_text = "To replace the file, delete this media file and add a new one."

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        upload, kind = cleaned_data.get("file"), cleaned_data.get("kind")
        if not kind:
            return cleaned_data
        if upload and "file" in self.changed_data:
            try:
                facts = check_upload(upload, purpose=kind)
            except forms.ValidationError as error:
                self.add_error("file", error)
                return cleaned_data
            describe_media(self.instance, facts)
            if facts.duration_seconds is not None:
                # What the file says beats what was typed.
                cleaned_data["duration_seconds"] = facts.duration_seconds
        elif "kind" in self.changed_data and self.instance.mime_type not in accepted_mime_types(
            kind
        ):
            self.add_error(
                "kind",
                f"The stored file is {self.instance.mime_type}, which is not accepted as "
                f"{PURPOSE_NOUNS[kind]}.",
            )
        return cleaned_data


MEDIA_FACTS = [
    "original_name",
    "mime_type",
    "size_bytes",
    "sha256",
    "fixity_status",
    "fixity_checked_at",
]


class MediaAssetInline(admin.TabularInline):
    model = MediaAsset
    form = MediaAssetForm
    extra = 0
    readonly_fields = MEDIA_FACTS[:4]


class MediaAssetChangeForm(TestimonyVersionForm, MediaAssetForm):
    def edited_testimony(self) -> Testimony | None:
        return self.instance.testimony if self.instance.pk is not None else None


@admin.register(MediaAsset)
class MediaAssetAdmin(ClaimsTestimonyEdit, admin.ModelAdmin):
    form = MediaAssetChangeForm
    list_display = [
        "__str__",
        "kind",
        "mime_type",
        "size_bytes",
        "access_level",
        "fixity_status",
        "created_at",
    ]
    list_filter = ["kind", "access_level", "mime_type", "fixity_status"]
    list_select_related = ["testimony"]
    search_fields = ["testimony__reference", "caption", "original_name"]
    raw_id_fields = ["testimony"]
    readonly_fields = MEDIA_FACTS
    fields = ["testimony", *MediaAssetForm.Meta.fields, *MEDIA_FACTS, "edited_version"]

    def edited_testimony_of(self, obj: Any) -> Testimony:
        return cast(MediaAsset, obj).testimony

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change and form.has_changed():
            record_edit(form.instance.testimony, actor=signed_in_user(request), fields=["media"])

    def delete_model(self, request: HttpRequest, obj: MediaAsset) -> None:
        delete_media_asset(obj, actor=signed_in_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[MediaAsset]) -> None:
        for asset in queryset.select_related("testimony"):
            delete_media_asset(asset, actor=signed_in_user(request))


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or JSON file"),
        help_text=gettext_lazy("UTF-8 text, at most %(megabytes)s MB and %(rows)s testimonies.")
        % {"megabytes": MAX_FILE_BYTES // (1024 * 1024), "rows": MAX_ROWS},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Checked before reading: the preview keeps the file on the server.
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


@admin.action(description=gettext_lazy("Export selected as CSV"), permissions=["view"])
def export_selected_as_csv(
    modeladmin: Any, request: HttpRequest, queryset: QuerySet[Testimony]
) -> HttpResponse:
    text, count = export_testimonies_csv(queryset, actor=signed_in_user(request))
    left_out = queryset.count() - count
    if left_out:
        messages.warning(
            request,
            ngettext(
                "%(count)s selected testimony was left out: nobody may see it any more.",
                "%(count)s selected testimonies were left out: nobody may see them any more.",
                left_out,
            )
            % {"count": left_out},
        )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = f"testimonies-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class TestimonyImportMixin:
    """The "Import" page of the testimony list: upload, a dry-run preview of every row with
    its errors, and a confirmation that re-checks the file before importing it.

    Both steps are services (preservation.importing: stage_import, confirm_import); between
    them the file waits on the server under a random token that the confirmation form posts
    back, so it is never sent twice.
    """

    def get_urls(self) -> list[URLPattern]:
        urls = super().get_urls()  # type: ignore[misc]
        admin_view = self.admin_site.admin_view  # type: ignore[attr-defined]
        custom = [
            path("import/", admin_view(self.import_view), name="testimonies_testimony_import"),
            path(
                "import/template.csv",
                admin_view(self.import_template_view),
                name="testimonies_testimony_import_template",
            ),
        ]
        return custom + urls

    def _import_page(
        self,
        request: HttpRequest,
        form: ImportUploadForm,
        report: ImportReport | None = None,
        token: str = "",
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": _("Import testimonies"),
            "opts": Testimony._meta,
            "form": form,
            "report": report,
            "token": token,
            "columns": COLUMNS,
            "separator": LIST_SEPARATOR,
            "max_rows": MAX_ROWS,
        }
        return TemplateResponse(request, "admin/testimonies/testimony/import.html", context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        if request.method != "POST":
            return self._import_page(request, ImportUploadForm())
        if "confirm" in request.POST:
            return self._confirm_import(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            end_previews(signed_in_user(request))
            return self._import_page(request, form)
        try:
            staged = stage_import(form.cleaned_data["file"], actor=signed_in_user(request))
        except ImportFileError as error:
            form.add_error("file", error.messages)
            return self._import_page(request, form)
        except WorkflowError as error:
            raise PermissionDenied(error.message) from error
        return self._import_page(request, ImportUploadForm(), staged.report, staged.token)

    def _confirm_import(self, request: HttpRequest) -> HttpResponse:
        here = HttpResponseRedirect(reverse("admin:testimonies_testimony_import"))
        try:
            report = confirm_import(request.POST.get("token", ""), actor=signed_in_user(request))
        except StaleImportError as error:
            messages.error(request, error.message)
            return here
        except ImportFileError as error:
            messages.error(request, " ".join(error.messages))
            return here
        except WorkflowError as error:
            raise PermissionDenied(error.message) from error
        if not report.created:
            # The catalogue changed since the preview (a place renamed, an identifier
            # taken): nothing was imported; show why.
            messages.error(
                request, _("Nothing was imported: the file no longer passes the checks.")
            )
            return self._import_page(request, ImportUploadForm(), report)
        references = [testimony.reference for testimony in report.created]
        messages.success(
            request,
            ngettext(
                "%(count)s testimony was imported as a draft: %(references)s.",
                "%(count)s testimonies were imported as drafts: %(references)s.",
                len(references),
            )
            % {"count": len(references), "references": ", ".join(references)},
        )
        return HttpResponseRedirect(
            reverse("admin:testimonies_testimony_changelist") + "?status__exact=draft"
        )

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="testimonies-import-template.csv"'
        return response


@admin.register(Testimony)
class TestimonyAdmin(
    TestimonyImportMixin,
    ClaimsTestimonyEdit,
    WorkflowAdminMixin,
    IdentitySearchMixin,
    admin.ModelAdmin,
):
    form = TestimonyVersionForm
    identity_path = "narrator__identity"
    list_display = [
        "reference",
        "title",
        "narrator_name",
        "status_display",
        "access_level",
        "language_list",
        "collection",
        "updated_at",
    ]
    list_filter = [
        "status",
        "access_level",
        LanguageFilter,
        "collection",
        ("places", admin.RelatedOnlyFieldListFilter),
        ("subjects", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "title", "narrator__pseudonym"]
    autocomplete_fields = ["narrator", "recording_place", "places", "subjects", "collection"]
    readonly_fields = ["reference", "status", "created_by", "created_at", "updated_at"]
    date_hierarchy = "updated_at"
    inlines = [TranscriptInline, MediaAssetInline]
    actions = [submit_selected, approve_selected, export_selected_as_csv]
    fieldsets = [
        (None, {"fields": ["reference", "status", "title", "summary", "narrator", "interviewer"]}),
        (
            "Recording",
            {"fields": [("recorded_on", "recorded_precision"), "recording_place"]},
        ),
        (
            "What it tells of",
            {
                "fields": [
                    ("period_start_year", "period_end_year"),
                    "places",
                    "subjects",
                    "content_notes",
                ]
            },
        ),
        ("Provenance", {"fields": ["collection", "source", "rights_statement", "external_id"]}),
        ("Access", {"fields": ["access_level"]}),
        ("Record", {"fields": [("created_by", "created_at", "updated_at"), "edited_version"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Testimony]:
        return cast(TestimonyQuerySet, super().get_queryset(request)).with_catalogue_relations()

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = list(super().get_list_display(request))
        if request.user.has_perm("testimonies.view_narratoridentity"):
            # The name from the identity only for those who may open it.
            shown = ["narrator_real_name" if f == "narrator_name" else f for f in shown]
        return shown

    @admin.display(description="narrator", ordering="narrator")
    def narrator_name(self, testimony: Testimony) -> str:
        return str(testimony.narrator)

    @admin.display(description="narrator", ordering="narrator")
    def narrator_real_name(self, testimony: Testimony) -> str:
        return f"{testimony.narrator.attributed_name} ({testimony.narrator.anonymous_name})"

    @admin.display(description="status", ordering="status")
    def status_display(self, testimony: Testimony) -> str:
        return status_label(testimony)

    @admin.display(description="languages")
    def language_list(self, testimony: Testimony) -> str:
        return ", ".join(testimony.languages)

    def save_model(self, request: HttpRequest, obj: Testimony, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            create_testimony(obj, actor=signed_in_user(request))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        testimony = form.instance
        if not change:
            return  # create_testimony audited it
        changed = list(form.changed_data) + [
            formset.prefix for formset in formsets if formset.has_changed()
        ]
        if changed:
            record_edit(testimony, actor=signed_in_user(request), fields=changed)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not MediaAsset:
            super().save_formset(request, form, formset, change)
            return
        # Media files removed in the inline go through the service, so their bytes leave
        # the storage too.
        assets = formset.save(commit=False)
        for asset in formset.deleted_objects:
            delete_media_asset(asset, actor=signed_in_user(request))
        for asset in assets:
            asset.save()
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Testimony) -> None:
        delete_testimony(obj, actor=signed_in_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Testimony]) -> None:
        # One transaction, unlike the admin's own delete_selected: a storage failure must
        # not leave records deleted and files behind.
        delete_testimonies(queryset, actor=signed_in_user(request))

    def has_change_permission(self, request: HttpRequest, obj: Testimony | None = None) -> bool:
        # A tombstone stays as it is.
        if obj is not None and obj.erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("testimonies.review_testimony")


class SegmentInline(admin.TabularInline):
    model = TranscriptSegment
    extra = 0
    fields = ["position", "start_seconds", "end_seconds", "recording", "text"]


class TranscriptChangeForm(TestimonyVersionForm):
    def edited_testimony(self) -> Testimony | None:
        return self.instance.testimony if self.instance.pk is not None else None


@admin.register(Transcript)
class TranscriptAdmin(ClaimsTestimonyEdit, admin.ModelAdmin):
    form = TranscriptChangeForm
    list_display = ["testimony", "language", "is_original", "translator", "updated_at"]
    list_select_related = ["testimony"]
    list_filter = ["language", "is_original"]
    search_fields = ["testimony__reference", "testimony__title"]
    raw_id_fields = ["testimony"]
    inlines = [SegmentInline]

    def edited_testimony_of(self, obj: Any) -> Testimony:
        return cast(Transcript, obj).testimony

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change and (form.has_changed() or any(f.has_changed() for f in formsets)):
            record_edit(
                form.instance.testimony, actor=signed_in_user(request), fields=["transcripts"]
            )

    def get_model_perms(self, request: HttpRequest) -> dict[str, bool]:
        # Reached from a testimony's page; not a list of its own in the index.
        return {}
