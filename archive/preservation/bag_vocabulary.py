"""The vocabulary in a bag: places, subjects and collections by natural key (a place by the
names of its path from the top of the gazetteer, a subject by its label, a collection by
its slug), each with its ancestors, as an export writes them and an import finds or
re-creates them."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from archive.preservation.bags import DECIMAL, PLAIN, Fields, dump_fields, load_fields
from archive.testimonies.models import Collection, Place, PlaceName, Subject, SubjectLabel

PLACE_FIELDS: Fields = {"name": PLAIN, "kind": PLAIN, "latitude": DECIMAL, "longitude": DECIMAL}
COLLECTION_FIELDS: Fields = {"title": PLAIN, "description": PLAIN}

PlaceKey = tuple[str, ...]


class Vocabulary:
    """The places, subjects and collections a bag mentions (export), by natural key, with
    every ancestor so that an import can rebuild the hierarchy."""

    def __init__(self, *, with_notes: bool) -> None:
        self.with_notes = with_notes
        self.places: dict[int, Place] = {}
        self.subjects: dict[int, Subject] = {}
        self.collections: dict[int, Collection] = {}

    def place(self, pk: int | None) -> list[str] | None:
        if pk is None:
            return None
        place = self.places.get(pk) or Place.objects.filter(pk=pk).first()
        if place is None:
            return None  # deleted since a revision named it
        chain = [place, *place.ancestors()]
        for node in chain:
            self.places[node.pk] = node  # type: ignore[assignment]
        return [node.name for node in reversed(chain)]  # type: ignore[attr-defined]

    def subject(self, pk: int | None) -> str | None:
        if pk is None:
            return None
        subject = self.subjects.get(pk) or Subject.objects.filter(pk=pk).first()
        if subject is None:
            return None
        for node in [subject, *subject.ancestors()]:
            self.subjects[node.pk] = node  # type: ignore[assignment]
        return subject.label

    def collection(self, pk: int | None) -> str | None:
        if pk is None:
            return None
        collection = self.collections.get(pk) or Collection.objects.filter(pk=pk).first()
        if collection is None:
            return None
        self.collections[pk] = collection
        return collection.slug

    def place_keys(self, pks: Iterable[int]) -> list[list[str]]:
        return sorted(key for key in (self.place(pk) for pk in pks) if key is not None)

    def subject_keys(self, pks: Iterable[int]) -> list[str]:
        return sorted(key for key in (self.subject(pk) for pk in pks) if key is not None)

    def as_json(self) -> dict[str, Any]:
        places = []
        for place in list(self.places.values()):
            entry = {
                "key": self.place(place.pk),
                **dump_fields(place, PLACE_FIELDS),
                "names": _names(place.names.all()),
            }
            if self.with_notes:
                entry["note"] = place.note
            places.append(entry)
        subjects = [
            {
                "label": subject.label,
                "parent": self.subject(subject.parent_id),
                "scope_note": subject.scope_note,
                "depth": len(subject.ancestors()),
                "labels": _names(subject.labels.all()),
            }
            for subject in list(self.subjects.values())
        ]
        collections = [
            {"slug": c.slug, **dump_fields(c, COLLECTION_FIELDS)} for c in self.collections.values()
        ]
        return {
            # Parents before children, so an import creates them in this order.
            "places": sorted(places, key=lambda p: (len(p["key"]), p["key"])),
            "subjects": sorted(subjects, key=lambda s: (s["depth"], s["label"])),
            "collections": sorted(collections, key=lambda c: c["slug"]),
        }


def _names(names: Iterable[PlaceName | SubjectLabel]) -> list[dict[str, str]]:
    """A place's variant names or a subject's labels in other languages."""
    return sorted(
        ({"name": n.name, "language": n.language} for n in names),
        key=lambda n: (n["language"], n["name"]),
    )


@dataclass
class LocalVocabulary:
    """A bag's vocabulary in this archive (import): found by natural key, created when
    missing, never changed."""

    places: dict[PlaceKey, Place] = field(default_factory=dict)
    subjects: dict[str, Subject] = field(default_factory=dict)
    collections: dict[str, Collection] = field(default_factory=dict)

    @classmethod
    def of(cls, data: dict[str, Any]) -> "LocalVocabulary":
        vocabulary = cls()
        for entry in data["places"]:
            vocabulary.add_place(entry)
        for entry in data["subjects"]:
            vocabulary.add_subject(entry)
        for entry in data["collections"]:
            vocabulary.collections[entry["slug"]], _ = Collection.objects.get_or_create(
                slug=entry["slug"], defaults=load_fields(entry, COLLECTION_FIELDS)
            )
        return vocabulary

    def add_place(self, entry: dict[str, Any]) -> None:
        key = tuple(entry["key"])
        parent = self.places[key[:-1]] if len(key) > 1 else None
        place = Place.objects.filter(parent=parent, name=entry["name"]).first()
        if place is None:
            place = Place(
                parent=parent, **load_fields(entry, PLACE_FIELDS), note=entry.get("note", "")
            )
            place.full_clean(validate_unique=False, validate_constraints=False)
            place.save()
        for name in entry["names"]:
            PlaceName.objects.get_or_create(
                place=place, name=name["name"], language=name["language"]
            )
        self.places[key] = place

    def add_subject(self, entry: dict[str, Any]) -> None:
        subject = Subject.objects.filter(label=entry["label"]).first()
        if subject is None:
            broader = self.subjects[entry["parent"]] if entry["parent"] else None
            subject = Subject.objects.create(
                label=entry["label"], parent=broader, scope_note=entry["scope_note"]
            )
        for name in entry["labels"]:
            SubjectLabel.objects.get_or_create(
                subject=subject, name=name["name"], language=name["language"]
            )
        self.subjects[entry["label"]] = subject

    def place(self, key: list[str] | None) -> Place | None:
        """The place of a key the vocabulary lists (a KeyError for one it does not)."""
        return None if key is None else self.places[tuple(key)]

    def collection(self, slug: str | None) -> Collection | None:
        return self.collections[slug] if slug else None
