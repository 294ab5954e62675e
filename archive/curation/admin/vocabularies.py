"""The gazetteer, the thesaurus and the collections."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from archive.testimonies.models import (
    Collection,
    Place,
    PlaceName,
    Subject,
    SubjectLabel,
)


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 1


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "variant_names"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "names__name"]
    autocomplete_fields = ["parent"]
    inlines = [PlaceNameInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Place]:
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description="also known as")
    def variant_names(self, place: Place) -> str:
        return ", ".join(name.name for name in place.names.all())


class SubjectLabelInline(admin.TabularInline):
    model = SubjectLabel
    extra = 1


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["label", "parent", "alternative_labels"]
    list_select_related = ["parent"]
    search_fields = ["label", "labels__name"]
    autocomplete_fields = ["parent"]
    inlines = [SubjectLabelInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Subject]:
        return super().get_queryset(request).prefetch_related("labels")

    @admin.display(description="alternative labels")
    def alternative_labels(self, subject: Subject) -> str:
        return ", ".join(label.name for label in subject.labels.all())


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "testimony_count"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Collection]:
        return super().get_queryset(request).annotate(testimony_total=Count("testimonies"))

    @admin.display(description="testimonies", ordering="testimony_total")
    def testimony_count(self, collection: Collection) -> int:
        return collection.testimony_total  # type: ignore[attr-defined]
