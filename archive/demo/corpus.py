"""A deterministic synthetic corpus for benchmarks (`manage.py generate_corpus`).

The same seed gives the same testimonies (titles, texts, languages, places, subjects,
statuses): each testimony draws from its own random generator, seeded with the corpus seed
and its index, so a re-run that skips the indices already present still makes the same
content for the others. Texts are assembled from a fixed pool of sentences per language,
which is fast enough for 100,000 testimonies and still gives the index real words, names
and inflected forms.

Rows are written in bulk, a batch per transaction, with everything the workflow would have
left behind (consent, revision, review, live revision, stored disclosure), so the corpus
looks to every surface like testimonies that went through the archive. The snapshot and the
disclosure are computed in memory with the same code and field lists the services use; the
workflow's own part (revision, review, status, live revision) is written by
place_generated_in_workflow, the publishing service for generated content.
"""

import itertools
import math
import random
import time as clock
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import reset_queries, transaction
from django.utils import timezone

from archive.accounts.models import User
from archive.consent.models import ConsentRecord, StoredDisclosure
from archive.consent.policy import PARTS, disclosure_for
from archive.demo.content import COLLECTIONS, GAZETTEER, THESAURUS, GazetteerEntry
from archive.demo.corpus_content import (
    AGES,
    CLAUSES,
    FAMILY_NAMES,
    FULL_STOP,
    GIVEN_NAMES,
    INTERVIEWERS,
    OCCUPATIONS,
    TAILS,
    TIMES,
    TITLE_THEMES,
    TOPICS,
    TRANSLATORS,
    YEARS,
)
from archive.demo.seed import load_collections, load_gazetteer, load_thesaurus
from archive.publishing.generated import GeneratedPlacement, place_generated_in_workflow
from archive.publishing.snapshots import compose_snapshot
from archive.testimonies.models import (
    AccessLevel,
    Narrator,
    NarratorIdentity,
    Place,
    Subject,
    Testimony,
    Transcript,
)
from archive.testimonies.references import allocate_references
from archive.testimonies.snapshot_types import Snapshot

Status = Testimony.Status
Attribution = Narrator.Attribution

CORPUS_USERNAMES = ("corpus-recorder", "corpus-verifier")
DEFAULT_BATCH_SIZE = 2000
MIN_TEXT_BYTES = 2300
MAX_TEXT_BYTES = 17500
"""A paragraph (at most ~2 KB) is added while the text is under this, so texts stay < 20 KB."""
FIRST_RECORDING = date(2020, 12, 1)
LAST_RECORDING = date(2025, 6, 30)


def external_id_prefix(seed: int) -> str:
    return f"corpus:{seed}:"


def external_id(seed: int, index: int) -> str:
    return f"{external_id_prefix(seed)}{index}"


def _names_by_language(entry: GazetteerEntry) -> dict[str, str]:
    names = {"en": entry.name}
    for language, name in entry.names:
        # The first variant per language is the one used in running text.
        names.setdefault(language, name)
    return names


def _place_sentences(language: str) -> list[str]:
    """Sentences naming the gazetteer's towns and villages, in forms that need no declension
    of the name itself (apposition: «в городе Горис», «Գորիս քաղաքում»)."""
    sentences = []
    for entry in GAZETTEER:
        if entry.kind not in ("city", "village"):
            continue
        name = _names_by_language(entry).get(language)
        if name is None:
            continue
        village = entry.kind == "village"
        for year in YEARS[::4]:
            if language == "en":
                kind = "the village of" if village else "the town of"
                sentences.append(f"We lived in {kind} {name} until {year}.")
            elif language == "ru":
                kind = "в селе" if village else "в городе"
                sentences.append(f"Мы жили {kind} {name} до {year} года.")
            else:
                kind = "գյուղում" if village else "քաղաքում"
                sentences.append(f"Մինչև {year} թվականը ապրում էինք {name} {kind}։")
    return sentences


def _person_sentences(language: str) -> list[str]:
    sentences = []
    for (given_en, given_hy, given_ru, gender), age in itertools.product(GIVEN_NAMES, AGES):
        if language == "en":
            sentences.append(f"I remember a neighbour called {given_en}, who was {age} then.")
        elif language == "ru":
            neighbour, pronoun = ("соседку", "ей") if gender == "f" else ("соседа", "ему")
            sentences.append(f"Я помню {neighbour} по имени {given_ru}, {pronoun} было {age} лет.")
        else:
            sentences.append(f"Հիշում եմ {given_hy} անունով մի հարևանի, նա {age} տարեկան էր։")
    return sentences


def sentence_pool(language: str) -> list[str]:
    """Every sentence a text in this language may use, in a fixed order."""
    stop = FULL_STOP[language]
    pool = []
    for clause, tail in itertools.product(CLAUSES[language], TAILS[language]):
        pool.append(f"{clause[0].upper()}{clause[1:]}{tail}{stop}")
        for when in TIMES[language]:
            pool.append(f"{when} {clause}{tail}{stop}")
    return pool + _place_sentences(language) + _person_sentences(language)


# What one testimony will be ---------------------------------------------------------------


@dataclass(frozen=True)
class CorpusNarrator:
    attribution: str
    given_name: str
    family_name: str
    name_in_original_script: str
    pseudonym: str
    birth_year: int
    occupation: str
    place_of_origin: str


@dataclass(frozen=True)
class CorpusConsent:
    verified: bool
    access: str
    """"public", "researchers" or "staff": the widest access the narrator allowed."""
    public_audio: bool
    name_disclosure: bool
    embargo_until: date | None
    withdrawn: bool


@dataclass(frozen=True)
class CorpusItem:
    index: int
    title: str
    summary: str
    language: str
    text: str
    translation: str
    """An English translation of a Russian or Armenian original, or empty."""
    translator: str
    interviewer: str
    recorded_on: date
    recorded_precision: str
    recording_place: str
    period: tuple[int, int]
    places: tuple[str, ...]
    subjects: tuple[str, ...]
    collection: str | None
    status: str
    access_level: str
    narrator: CorpusNarrator
    consent: CorpusConsent | None


def _with_article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _root(entry: GazetteerEntry, by_name: dict[str, GazetteerEntry]) -> str:
    while entry.parent is not None:
        entry = by_name[entry.parent]
    return entry.name


class CorpusContent:
    """The content of corpus testimonies, as a pure function of (seed, index)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.pools = {language: sentence_pool(language) for language in TIMES}
        by_name = {entry.name: entry for entry in GAZETTEER}
        self.homes = [e.name for e in GAZETTEER if _root(e, by_name) == "Nagorno-Karabakh"]
        self.towns_in_armenia = [
            e.name for e in GAZETTEER if _root(e, by_name) == "Armenia" and e.kind == "city"
        ]
        self.all_places = [entry.name for entry in GAZETTEER]
        self.subjects = [entry.label for entry in THESAURUS]
        self.collections = [entry.slug for entry in COLLECTIONS]

    def item(self, index: int) -> CorpusItem:
        # Not for security: a seeded generator is the point, so runs can be repeated.
        rng = random.Random(f"{self.seed}:{index}")  # noqa: S311
        language = rng.choices(("en", "ru", "hy"), weights=(50, 25, 25))[0]
        translated = language != "en" and rng.random() < 0.3
        recorded_on, precision = self._recording_date(rng)
        status = rng.choices(
            (
                Status.PUBLISHED,
                Status.DRAFT,
                Status.IN_REVIEW,
                Status.CHANGES_REQUESTED,
                Status.SCHEDULED,
                Status.WITHDRAWN,
            ),
            weights=(84, 6, 3, 2, 1, 4),
        )[0]
        access_level = rng.choices(
            (AccessLevel.PUBLIC, AccessLevel.RESEARCHERS, AccessLevel.STAFF),
            weights=(80, 15, 5),
        )[0]
        narrator = self._narrator(rng, recorded_on)
        home = narrator.place_of_origin
        places = {home, *rng.sample(self.all_places, rng.randint(0, 2))}
        start = rng.choice((1988, 1991, 1992, 2016, 2020, 2022, 2023))
        start = min(start, recorded_on.year)
        theme, topic = rng.choice(TITLE_THEMES), rng.choice(TOPICS)
        return CorpusItem(
            index=index,
            title=f"{theme} ({home}, {recorded_on.year})",
            summary=(
                f"{_with_article(narrator.occupation).capitalize()} born in "
                f"{narrator.birth_year} remembers {topic}. "
                f"Synthetic benchmark testimony {index} of seed {self.seed}."
            ),
            language=language,
            text=self._text(rng, language),
            translation=self._text(rng, "en") if translated else "",
            translator=rng.choice(TRANSLATORS) if translated else "",
            interviewer=rng.choice(INTERVIEWERS),
            recorded_on=recorded_on,
            recorded_precision=precision,
            recording_place=rng.choice(self.towns_in_armenia),
            period=(start, rng.randint(start, recorded_on.year)),
            places=tuple(sorted(places)),
            subjects=tuple(sorted(rng.sample(self.subjects, rng.randint(1, 4)))),
            collection=rng.choice(self.collections) if rng.random() < 0.6 else None,
            status=status,
            access_level=access_level,
            narrator=narrator,
            consent=self._consent(rng, status, access_level, narrator, recorded_on),
        )

    def _recording_date(self, rng: random.Random) -> tuple[date, str]:
        day = FIRST_RECORDING + timedelta(
            days=rng.randrange((LAST_RECORDING - FIRST_RECORDING).days)
        )
        precision = rng.choices(
            (
                Testimony.DatePrecision.DAY,
                Testimony.DatePrecision.MONTH,
                Testimony.DatePrecision.YEAR,
            ),
            weights=(80, 15, 5),
        )[0]
        if precision == Testimony.DatePrecision.MONTH:
            day = day.replace(day=1)
        elif precision == Testimony.DatePrecision.YEAR:
            day = day.replace(month=1, day=1)
        return day, precision

    def _text(self, rng: random.Random, language: str) -> str:
        """Paragraphs of 3–7 sentences until the text reaches a size drawn around 4 KB."""
        pool = self.pools[language]
        target = rng.lognormvariate(math.log(4000), 0.5)
        target = min(max(target, MIN_TEXT_BYTES), MAX_TEXT_BYTES)
        paragraphs: list[str] = []
        size = 0
        while size < target:
            paragraph = " ".join(rng.choices(pool, k=rng.randint(3, 7)))
            paragraphs.append(paragraph)
            size += len(paragraph.encode()) + 2
        return "\n\n".join(paragraphs)

    def _narrator(self, rng: random.Random, recorded_on: date) -> CorpusNarrator:
        attribution = rng.choices(
            (
                Attribution.FULL_NAME,
                Attribution.GIVEN_NAME_INITIAL,
                Attribution.PSEUDONYM,
                Attribution.ANONYMOUS,
            ),
            weights=(50, 15, 10, 25),
        )[0]
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        # Some anonymous narrators left no identity at all.
        identified = attribution != Attribution.ANONYMOUS or rng.random() < 0.6
        pseudonym = ""
        if attribution == Attribution.PSEUDONYM:
            pseudonym = f"{rng.choice(GIVEN_NAMES)[0]} {rng.choice('ABDGHKLMNPRSTV')}."
        return CorpusNarrator(
            attribution=attribution,
            given_name=given[0] if identified else "",
            family_name=family[0] if identified else "",
            name_in_original_script=f"{given[1]} {family[1]}" if identified else "",
            pseudonym=pseudonym,
            birth_year=recorded_on.year - rng.randint(18, 95),  # adults: no guardians
            occupation=rng.choice(OCCUPATIONS),
            place_of_origin=rng.choice(self.homes),
        )

    def _consent(
        self,
        rng: random.Random,
        status: str,
        access_level: str,
        narrator: CorpusNarrator,
        recorded_on: date,
    ) -> CorpusConsent | None:
        if status == Status.DRAFT and rng.random() < 0.5:
            return None
        verified = status not in (Status.DRAFT, Status.IN_REVIEW) or rng.random() < 0.85
        named = narrator.attribution in (Attribution.FULL_NAME, Attribution.GIVEN_NAME_INITIAL)
        embargoed = status == Status.PUBLISHED and rng.random() < 0.03
        return CorpusConsent(
            verified=verified,
            access=access_level,
            public_audio=rng.random() < 0.7,
            name_disclosure=named and rng.random() < 0.9,
            embargo_until=date(recorded_on.year + 25, 1, 1) if embargoed else None,
            withdrawn=status == Status.WITHDRAWN,
        )


# Writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusReport:
    created: int
    skipped: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


ProgressCallback = Callable[[int, int, float], None]
"""Called after each batch with (testimonies handled so far, total, seconds elapsed)."""


def corpus_users() -> tuple[User, User]:
    """Two staff users that cannot sign in: one records and submits, the other verifies and
    decides (consent and reviews need two different people)."""
    users = []
    for username in CORPUS_USERNAMES:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "last_name": "Synthetic corpus"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users[0], users[1]


def generate_corpus(
    *,
    count: int,
    seed: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> CorpusReport:
    """Create corpus testimonies 1..count for this seed, skipping those that exist."""
    if count < 1 or batch_size < 1:
        raise ValueError("count and batch_size must be at least 1")
    started = clock.perf_counter()
    with transaction.atomic():
        writer = CorpusWriter(
            content=CorpusContent(seed),
            places=load_gazetteer(),
            subjects=load_thesaurus(),
            collections={slug: c.pk for slug, c in load_collections().items()},
            users=corpus_users(),
        )
    existing = set(
        Testimony.objects.filter(external_id__startswith=external_id_prefix(seed)).values_list(
            "external_id", flat=True
        )
    )
    created = skipped = 0
    for batch in _batches(range(1, count + 1), batch_size):
        wanted = [index for index in batch if external_id(seed, index) not in existing]
        skipped += len(batch) - len(wanted)
        if wanted:
            with transaction.atomic():
                writer.write([writer.content.item(index) for index in wanted])
            created += len(wanted)
            # With DEBUG on, Django keeps every query's SQL, texts included: hundreds of MB
            # over a large corpus unless released batch by batch.
            reset_queries()
        if progress is not None:
            progress(created + skipped, count, clock.perf_counter() - started)
    return CorpusReport(created=created, skipped=skipped, seconds=clock.perf_counter() - started)


def _batches(indices: range, size: int) -> Iterator[range]:
    for start in range(0, len(indices), size):
        yield indices[start : start + size]


class CorpusWriter:
    """Writes items in bulk: a constant number of queries per batch, not per testimony."""

    def __init__(
        self,
        *,
        content: CorpusContent,
        places: dict[str, Place],
        subjects: dict[str, Subject],
        collections: dict[str, int],
        users: tuple[User, User],
    ) -> None:
        self.content = content
        self.places = places
        self.subjects = subjects
        self.collections = collections
        self.recorder, self.verifier = users
        self.source = (
            f"Synthetic benchmark testimony made by generate_corpus (seed {content.seed}). "
            "Not a real account."
        )

    def write(self, items: list[CorpusItem]) -> None:
        narrators = self._narrators(items)
        testimonies = self._testimonies(items, narrators)
        transcripts = self._transcripts(items, testimonies)
        self._index_terms(items, testimonies)
        consents = self._consents(items, testimonies)
        self._workflow(items, testimonies, transcripts)
        self._disclosures(testimonies, consents)

    def _narrators(self, items: list[CorpusItem]) -> list[Narrator]:
        now = timezone.now()
        narrators = Narrator.objects.bulk_create(
            [
                Narrator(
                    attribution=item.narrator.attribution,
                    pseudonym=item.narrator.pseudonym,
                    # As if recorded and verified by two archivists, as the workflow does.
                    naming_recorded_by=self.recorder,
                    naming_recorded_at=now,
                    naming_verified_by=self.verifier,
                    naming_verified_at=now,
                    birth_year=item.narrator.birth_year,
                    occupation=item.narrator.occupation,
                    place_of_origin=self.places[item.narrator.place_of_origin],
                )
                for item in items
            ]
        )
        identities = []
        for item, narrator in zip(items, narrators, strict=True):
            if item.narrator.given_name:
                # Built with the narrator object, so narrator.identity is cached for the policy.
                identities.append(
                    NarratorIdentity(
                        narrator=narrator,
                        given_name=item.narrator.given_name,
                        family_name=item.narrator.family_name,
                        name_in_original_script=item.narrator.name_in_original_script,
                        notes="A fictional person of the synthetic corpus.",
                    )
                )
            else:
                # Known to have no identity: the policy must not query for one.
                Narrator.identity.related.set_cached_value(narrator, None)
        NarratorIdentity.objects.bulk_create(identities)
        return narrators

    def _testimonies(self, items: list[CorpusItem], narrators: list[Narrator]) -> list[Testimony]:
        by_year: dict[int, list[CorpusItem]] = defaultdict(list)
        for item in items:
            by_year[item.recorded_on.year].append(item)
        references: dict[int, str] = {}
        for year, year_items in sorted(by_year.items()):
            # One block of consecutive numbers per year and batch.
            block = allocate_references(year, len(year_items))
            references.update(zip((item.index for item in year_items), block, strict=True))
        testimonies = []
        for item, narrator in zip(items, narrators, strict=True):
            testimonies.append(
                Testimony(
                    reference=references[item.index],
                    external_id=external_id(self.content.seed, item.index),
                    title=item.title,
                    summary=item.summary,
                    narrator=narrator,
                    interviewer=item.interviewer,
                    recorded_on=item.recorded_on,
                    recorded_precision=item.recorded_precision,
                    recording_place=self.places[item.recording_place],
                    period_start_year=item.period[0],
                    period_end_year=item.period[1],
                    collection_id=self.collections[item.collection] if item.collection else None,
                    source=self.source,
                    rights_statement="Synthetic; free to reuse for testing.",
                    access_level=item.access_level,
                    # A draft: _workflow moves it on, through the publishing service.
                    status=Status.DRAFT,
                    created_by=self.recorder,
                )
            )
        return Testimony.objects.bulk_create(testimonies)

    def _transcripts(
        self, items: list[CorpusItem], testimonies: list[Testimony]
    ) -> dict[int, list[Transcript]]:
        """Per testimony id, its transcripts in snapshot order (original first)."""
        transcripts: dict[int, list[Transcript]] = {}
        for item, testimony in zip(items, testimonies, strict=True):
            own = [
                Transcript(
                    testimony=testimony, language=item.language, is_original=True, text=item.text
                )
            ]
            if item.translation:
                own.append(
                    Transcript(
                        testimony=testimony,
                        language="en",
                        translator=item.translator,
                        text=item.translation,
                    )
                )
            transcripts[testimony.pk] = own
        Transcript.objects.bulk_create([t for own in transcripts.values() for t in own])
        return transcripts

    def _index_terms(self, items: list[CorpusItem], testimonies: list[Testimony]) -> None:
        place_rows, subject_rows = [], []
        for item, testimony in zip(items, testimonies, strict=True):
            place_rows += [
                Testimony.places.through(testimony_id=testimony.pk, place_id=self.places[name].pk)
                for name in item.places
            ]
            subject_rows += [
                Testimony.subjects.through(
                    testimony_id=testimony.pk, subject_id=self.subjects[label].pk
                )
                for label in item.subjects
            ]
        Testimony.places.through.objects.bulk_create(place_rows)
        Testimony.subjects.through.objects.bulk_create(subject_rows)

    def _consents(
        self, items: list[CorpusItem], testimonies: list[Testimony]
    ) -> dict[int, list[ConsentRecord]]:
        """One consent per narrator where the item has one, keyed by testimony id."""
        records: dict[int, list[ConsentRecord]] = {}
        for item, testimony in zip(items, testimonies, strict=True):
            records[testimony.pk] = []
            consent = item.consent
            if consent is None:
                continue
            public = consent.access == AccessLevel.PUBLIC
            researchers = consent.access != AccessLevel.STAFF
            verified_at = datetime.combine(item.recorded_on + timedelta(days=3), time(12), UTC)
            records[testimony.pk].append(
                ConsentRecord(
                    narrator=testimony.narrator,
                    given_on=item.recorded_on,
                    method=ConsentRecord.Method.ELECTRONIC,
                    obtained_by=item.interviewer,
                    form_version="corpus-1",
                    form_language=item.language,
                    allows_archiving=True,
                    allows_researcher_access=researchers,
                    allows_public_metadata=public,
                    allows_public_transcript=public,
                    allows_public_audio=public and consent.public_audio,
                    allows_name_disclosure=consent.name_disclosure,
                    allows_quotation=public,
                    embargo_until=consent.embargo_until,
                    recorded_by=self.recorder,
                    verified_by=self.verifier if consent.verified else None,
                    verified_at=verified_at if consent.verified else None,
                    withdrawn_at=verified_at + timedelta(days=90) if consent.withdrawn else None,
                    withdrawal_scope=ConsentRecord.WithdrawalScope.UNPUBLISH
                    if consent.withdrawn
                    else "",
                    withdrawal_recorded_by=self.recorder if consent.withdrawn else None,
                )
            )
        flat = [record for own in records.values() for record in own]
        ConsentRecord.objects.bulk_create(flat)
        ConsentRecord.testimonies.through.objects.bulk_create(
            [
                ConsentRecord.testimonies.through(
                    consentrecord_id=record.pk, testimony_id=testimony_id
                )
                for testimony_id, own in records.items()
                for record in own
            ]
        )
        return records

    def _workflow(
        self,
        items: list[CorpusItem],
        testimonies: list[Testimony],
        transcripts: dict[int, list[Transcript]],
    ) -> None:
        """Submitted by the recorder, decided by the verifier, as the item's status says."""
        now = timezone.now()
        placements = []
        for item, testimony in zip(items, testimonies, strict=True):
            if item.status == Status.DRAFT:
                continue
            recorded_at = datetime.combine(item.recorded_on, time(12), tzinfo=UTC)
            went_live = item.status in (Status.PUBLISHED, Status.WITHDRAWN)
            placements.append(
                GeneratedPlacement(
                    testimony=testimony,
                    status=item.status,
                    content=self._snapshot(item, testimony, transcripts[testimony.pk]),
                    published_at=recorded_at + timedelta(days=10) if went_live else None,
                    withdrawn_at=recorded_at + timedelta(days=100)
                    if item.status == Status.WITHDRAWN
                    else None,
                    comment="Please check the dates with the narrator."
                    if item.status == Status.CHANGES_REQUESTED
                    else "",
                    publish_at=now + timedelta(days=30)
                    if item.status == Status.SCHEDULED
                    else None,
                )
            )
        place_generated_in_workflow(placements, actor=self.verifier, submitted_by=self.recorder)

    def _snapshot(
        self, item: CorpusItem, testimony: Testimony, transcripts: list[Transcript]
    ) -> Snapshot:
        return compose_snapshot(
            testimony,
            places=[self.places[name].pk for name in item.places],
            subjects=[self.subjects[label].pk for label in item.subjects],
            transcripts=[(transcript, []) for transcript in transcripts],
            media=[],
        )

    def _disclosures(
        self, testimonies: list[Testimony], consents: dict[int, list[ConsentRecord]]
    ) -> None:
        """What the policy says of each new testimony, stored as the signals would have."""
        now = timezone.now()
        stored = []
        for testimony in testimonies:
            disclosure = disclosure_for(testimony, consents=consents[testimony.pk])
            stored.append(
                StoredDisclosure(
                    testimony=testimony,
                    computed_at=now,
                    **{part: int(getattr(disclosure, part)) for part in PARTS},
                )
            )
        StoredDisclosure.objects.bulk_create(stored)
