"""One archive of every kind of testimony, for every leak matrix (the site's pages, the
search, the API, OAI-PMH, the sitemap and the feed, and what tells that something exists):
each kind is one testimony whose transcript holds a word no other testimony holds, with one
recording, and which alone uses a place, a subject and a collection of its own, so that a
matrix can tell exactly what reached a reader."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from archive.accounts.roles import Role
from archive.publishing import services
from archive.publishing.consent_changes import withdraw_consent
from archive.testimonies.models import (
    Collection,
    MediaAsset,
    Narrator,
    Place,
    Subject,
    Testimony,
)
from tests.factories import (
    make_collection,
    make_live_testimony,
    make_media,
    make_narrator,
    make_place,
    make_subject,
    make_testimony,
    make_user,
    make_verified_consent,
    wav_bytes,
)

# Each kind and the word only its transcript holds. Built in this order: what researchers
# alone may see is published last, so it heads the home page's recent publications.
SECRETS = {
    "public": "quince",
    "pseudonym": "juniper",
    "full_name_without_consent": "sparrow",
    "transcript_for_researchers": "lighthouse",
    "audio_for_researchers": "gramophone",
    "draft": "marzipan",
    "in_review": "tamarind",
    "embargoed": "obsidian",
    "withdrawn": "kestrel",
    "erased": "pomegranate",
    "staff_only": "quillwort",
    "researchers_only": "zephyrine",
}
KINDS = sorted(SECRETS)
# Names that must reach nobody: the family name behind the pseudonym, and the name (in full
# or as a given name and initial) of the narrator who did not consent to be named.
REAL_NAMES = ("Harutyunyan", "Sargsyan", "Gor S.")


@dataclass
class ArchiveOfEveryKind:
    # By kind; a module's own additions (tests/search's archive) by their names.
    testimonies: dict[str, Testimony]
    secrets: dict[str, str]
    # The place, subject and collection each kind alone uses (and a module's own, by name).
    places: dict[str, Place]
    subjects: dict[str, Subject]
    collections: dict[str, Collection]
    # The broader place of every kind's place.
    parent_place: Place
    # Each kind's one recording (the erased one's deleted with it: its id is kept).
    recordings: dict[str, MediaAsset]


def transcript_of(kind: str) -> str:
    return f"A testimony of the kind {kind.replace('_', ' ')}: {SECRETS[kind]}."


def build_archive_of_every_kind() -> ArchiveOfEveryKind:
    parent_place = make_place(name="Syunik", kind="region")
    places = {k: make_place(name=f"Place of {k}", parent=parent_place) for k in SECRETS}
    subjects = {k: make_subject(label=f"Subject of {k}") for k in SECRETS}
    collections = {
        k: make_collection(title=f"Collection of {k}", slug=f"c-{k.replace('_', '-')}")
        for k in SECRETS
    }

    def vocabulary(kind: str) -> dict[str, Any]:
        return {
            "title": f"Title of {kind}",
            "transcript": transcript_of(kind),
            "collection": collections[kind],
            "places": [places[kind]],
            "subjects": [subjects[kind]],
        }

    def recording(kind: str) -> dict[str, Any]:
        seed = list(SECRETS).index(kind)
        return {"content": wav_bytes(seconds=0.2, seed=seed), "name": f"{kind}.wav"}

    def live(kind: str, **fields: Any) -> Testimony:
        fields.setdefault("media", [recording(kind)])
        return make_live_testimony(**vocabulary(kind), **fields)

    def unpublished(kind: str) -> Testimony:
        fields = vocabulary(kind)
        kind_places, kind_subjects = fields.pop("places"), fields.pop("subjects")
        testimony = make_testimony(access_level="public", **fields)
        testimony.places.set(kind_places)
        testimony.subjects.set(kind_subjects)
        make_media(testimony=testimony, **recording(kind))
        make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
        return testimony

    testimonies: dict[str, Testimony] = {}
    recordings: dict[str, MediaAsset] = {}
    for kind in SECRETS:
        if kind == "public":
            testimony = live(
                kind,
                narrator=make_narrator(
                    given_name="Aram",
                    family_name="Mkrtchyan",
                    attribution=Narrator.Attribution.FULL_NAME,
                ),
                recorded_on=date(2023, 9, 26),
                recorded_precision="day",
                interviewer="Ani Interviewer",
                media=[{**recording(kind), "caption": "His voice"}],
            )
        elif kind == "pseudonym":
            testimony = live(
                kind,
                narrator=make_narrator(
                    given_name="Lusine",
                    family_name="Harutyunyan",
                    attribution=Narrator.Attribution.PSEUDONYM,
                    pseudonym="Lusine H.",
                ),
            )
        elif kind == "full_name_without_consent":
            testimony = live(
                kind,
                narrator=make_narrator(
                    given_name="Gor",
                    family_name="Sargsyan",
                    attribution=Narrator.Attribution.FULL_NAME,
                ),
                consent={"allows_name_disclosure": False},
            )
        elif kind == "transcript_for_researchers":
            testimony = live(kind, consent={"allows_public_transcript": False})
        elif kind == "audio_for_researchers":
            testimony = live(kind, consent={"allows_public_audio": False})
        elif kind == "draft":
            testimony = unpublished(kind)
        elif kind == "in_review":
            testimony = unpublished(kind)
            services.submit_for_review(testimony, actor=make_user(role=Role.CONTRIBUTOR))
        elif kind == "embargoed":
            testimony = live(kind, consent={"embargo_until": date(2099, 1, 1)})
        elif kind == "withdrawn":
            testimony = live(kind)
            services.withdraw(testimony, actor=make_user(role=Role.MODERATOR), reason="Asked.")
        elif kind == "erased":
            testimony = live(kind)
            recordings[kind] = testimony.media.get()  # erasing deletes it; its id is kept
            withdraw_consent(
                testimony.consent_records.get(), actor=make_user(role=Role.ARCHIVIST), scope="erase"
            )
        elif kind == "staff_only":
            testimony = live(kind, access_level="staff")
        elif kind == "researchers_only":
            testimony = live(kind, access_level="researchers")
        else:
            raise AssertionError(f"no recipe for the kind {kind}")
        testimonies[kind] = testimony
        if kind not in recordings:
            recordings[kind] = testimony.media.get()
    for testimony in testimonies.values():
        testimony.refresh_from_db()
    return ArchiveOfEveryKind(
        testimonies=testimonies,
        secrets=dict(SECRETS),
        places=places,
        subjects=subjects,
        collections=collections,
        parent_place=parent_place,
        recordings=recordings,
    )
