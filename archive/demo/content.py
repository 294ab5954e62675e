"""What the demo archive contains: a gazetteer, a thesaurus, collections and 41 testimonies.

Only the first testimony is a real person's account: Vera Petrosyan's words as Reuters
reported them on 26 September 2023. Every other narrator is fictional, written for this
demonstration, and says so in the testimony's source. The loader is archive/demo/seed.py.
"""

import re
from dataclasses import dataclass, replace
from datetime import date

from archive.consent.models import ConsentRecord
from archive.testimonies.models import AccessLevel, Narrator, Place, Testimony


def text(block: str) -> str:
    """Paragraphs separated by a blank line; the line breaks inside a paragraph only keep
    this file readable and are joined with spaces."""
    paragraphs = re.split(r"\n\s*\n", block.strip())
    return "\n\n".join(" ".join(line.strip() for line in part.splitlines()) for part in paragraphs)


# Gazetteer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    kind: str
    parent: str | None = None
    names: tuple[tuple[str, str], ...] = ()
    """(BCP 47 tag, name) pairs: the name in other languages and scripts."""
    latitude: str | None = None
    longitude: str | None = None
    note: str = ""


# Parents come before their children. Names are unique across the demo gazetteer so entries
# can refer to each other by name. Coordinates are rounded to two decimals and given only
# where they are well established.
GAZETTEER: tuple[GazetteerEntry, ...] = (
    GazetteerEntry(
        "Armenia",
        Place.Kind.COUNTRY,
        names=(("hy", "Հայաստան"), ("ru", "Армения"), ("az-Latn", "Ermənistan")),
    ),
    GazetteerEntry(
        "Syunik Province",
        Place.Kind.REGION,
        "Armenia",
        names=(("hy", "Սյունիքի մարզ"), ("ru", "Сюникская область"), ("az-Latn", "Sünik mərzi")),
    ),
    GazetteerEntry(
        "Goris",
        Place.Kind.CITY,
        "Syunik Province",
        names=(("hy", "Գորիս"), ("ru", "Горис"), ("az-Latn", "Gorus")),
        latitude="39.51",
        longitude="46.34",
    ),
    GazetteerEntry(
        "Kapan",
        Place.Kind.CITY,
        "Syunik Province",
        names=(("hy", "Կապան"), ("ru", "Капан"), ("az-Latn", "Qafan")),
        latitude="39.21",
        longitude="46.41",
    ),
    GazetteerEntry(
        "Kornidzor",
        Place.Kind.VILLAGE,
        "Syunik Province",
        names=(("hy", "Կոռնիձոր"), ("ru", "Корнидзор")),
        note="Border village where arrivals from Nagorno-Karabakh were registered in "
        "September 2023.",
    ),
    GazetteerEntry(
        "Yerevan",
        Place.Kind.CITY,
        "Armenia",
        names=(("hy", "Երևան"), ("ru", "Ереван"), ("az-Latn", "İrəvan")),
        latitude="40.18",
        longitude="44.51",
    ),
    GazetteerEntry(
        "Gegharkunik Province",
        Place.Kind.REGION,
        "Armenia",
        names=(("hy", "Գեղարքունիքի մարզ"), ("ru", "Гегаркуникская область")),
    ),
    GazetteerEntry(
        "Vardenis",
        Place.Kind.CITY,
        "Gegharkunik Province",
        names=(("hy", "Վարդենիս"), ("ru", "Варденис"), ("az-Latn", "Basarkeçər")),
        latitude="40.18",
        longitude="45.73",
    ),
    GazetteerEntry(
        "Kotayk Province",
        Place.Kind.REGION,
        "Armenia",
        names=(("hy", "Կոտայքի մարզ"), ("ru", "Котайкская область")),
    ),
    GazetteerEntry(
        "Abovyan",
        Place.Kind.CITY,
        "Kotayk Province",
        names=(("hy", "Աբովյան"), ("ru", "Абовян")),
        latitude="40.27",
        longitude="44.63",
    ),
    GazetteerEntry(
        "Ararat Province",
        Place.Kind.REGION,
        "Armenia",
        names=(("hy", "Արարատի մարզ"), ("ru", "Араратская область")),
    ),
    GazetteerEntry(
        "Masis",
        Place.Kind.CITY,
        "Ararat Province",
        names=(("hy", "Մասիս"), ("ru", "Масис")),
    ),
    GazetteerEntry(
        "Nagorno-Karabakh",
        Place.Kind.REGION,
        names=(
            ("en", "Artsakh"),
            ("en", "Karabakh"),
            ("hy", "Լեռնային Ղարաբաղ"),
            ("hy", "Արցախ"),
            ("ru", "Нагорный Карабах"),
            ("ru", "Арцах"),
            ("az-Latn", "Dağlıq Qarabağ"),
        ),
        note="Named as its Armenian inhabitants knew it until September 2023; internationally "
        "recognised as part of Azerbaijan.",
    ),
    GazetteerEntry(
        "Stepanakert",
        Place.Kind.CITY,
        "Nagorno-Karabakh",
        names=(
            ("en", "Khankendi"),
            ("hy", "Ստեփանակերտ"),
            ("ru", "Степанакерт"),
            ("az-Latn", "Xankəndi"),
        ),
        latitude="39.82",
        longitude="46.75",
    ),
    GazetteerEntry(
        "Shushi",
        Place.Kind.CITY,
        "Nagorno-Karabakh",
        names=(("en", "Shusha"), ("hy", "Շուշի"), ("ru", "Шуша"), ("az-Latn", "Şuşa")),
        latitude="39.76",
        longitude="46.75",
    ),
    GazetteerEntry(
        "Martuni",
        Place.Kind.CITY,
        "Nagorno-Karabakh",
        names=(("en", "Khojavend"), ("hy", "Մարտունի"), ("ru", "Мартуни"), ("az-Latn", "Xocavənd")),
        latitude="39.79",
        longitude="47.11",
    ),
    GazetteerEntry(
        "Martakert",
        Place.Kind.CITY,
        "Nagorno-Karabakh",
        names=(("en", "Aghdara"), ("hy", "Մարտակերտ"), ("ru", "Мартакерт"), ("az-Latn", "Ağdərə")),
        latitude="40.21",
        longitude="46.81",
    ),
    GazetteerEntry(
        "Hadrut",
        Place.Kind.CITY,
        "Nagorno-Karabakh",
        names=(("hy", "Հադրութ"), ("ru", "Гадрут"), ("az-Latn", "Hadrut")),
        latitude="39.52",
        longitude="47.03",
    ),
    GazetteerEntry(
        "Askeran",
        Place.Kind.CITY,
        "Nagorno-Karabakh",
        names=(("hy", "Ասկերան"), ("ru", "Аскеран"), ("az-Latn", "Əsgəran")),
        latitude="39.93",
        longitude="46.83",
    ),
    GazetteerEntry(
        "Karmir Shuka",
        Place.Kind.VILLAGE,
        "Nagorno-Karabakh",
        names=(("hy", "Կարմիր Շուկա"), ("ru", "Кармир Шука"), ("az-Latn", "Qırmızı Bazar")),
        note="Village of the Martuni district.",
    ),
    GazetteerEntry(
        "Chartar",
        Place.Kind.VILLAGE,
        "Nagorno-Karabakh",
        names=(("hy", "Ճարտար"), ("ru", "Чартар"), ("az-Latn", "Çartaz")),
        note="Village of the Martuni district.",
    ),
    GazetteerEntry(
        "Togh",
        Place.Kind.VILLAGE,
        "Nagorno-Karabakh",
        names=(("hy", "Տող"), ("ru", "Тог"), ("az-Latn", "Tuğ")),
        note="Village of the Hadrut district.",
    ),
    GazetteerEntry(
        "Karin Tak",
        Place.Kind.VILLAGE,
        "Nagorno-Karabakh",
        names=(("hy", "Քարին տակ"), ("ru", "Карин Так"), ("az-Latn", "Daşaltı")),
        note="Village below the cliffs of Shushi.",
    ),
    GazetteerEntry(
        "Talish",
        Place.Kind.VILLAGE,
        "Nagorno-Karabakh",
        names=(("hy", "Թալիշ"), ("ru", "Талиш"), ("az-Latn", "Talış")),
        note="Village of the Martakert district.",
    ),
    GazetteerEntry(
        "Vank",
        Place.Kind.VILLAGE,
        "Nagorno-Karabakh",
        names=(("hy", "Վանք"), ("ru", "Ванк"), ("az-Latn", "Vəng")),
        note="Village of the Martakert district, below the Gandzasar monastery.",
    ),
    GazetteerEntry(
        "Lachin corridor",
        Place.Kind.OTHER,
        names=(("hy", "Լաչինի միջանցք"), ("ru", "Лачинский коридор"), ("az-Latn", "Laçın dəhlizi")),
        note="The road linking Armenia with Nagorno-Karabakh; closed from December 2022 to "
        "September 2023.",
    ),
    GazetteerEntry(
        "Berdzor",
        Place.Kind.CITY,
        "Lachin corridor",
        names=(
            ("en", "Lachin"),
            ("hy", "Բերձոր"),
            ("ru", "Бердзор"),
            ("ru", "Лачин"),
            ("az-Latn", "Laçın"),
        ),
        latitude="39.64",
        longitude="46.55",
    ),
)


# Thesaurus -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThesaurusEntry:
    label: str
    parent: str | None = None
    labels: tuple[tuple[str, str], ...] = ()
    """(BCP 47 tag, label) pairs: alternative labels."""
    scope_note: str = ""


# Broader terms come before narrower ones.
THESAURUS: tuple[ThesaurusEntry, ...] = (
    ThesaurusEntry(
        "Displacement",
        labels=(("hy", "Տեղահանություն"), ("ru", "Перемещение населения")),
        scope_note="Leaving one's home under pressure, and what follows.",
    ),
    ThesaurusEntry(
        "Forced displacement",
        "Displacement",
        labels=(("hy", "Բռնի տեղահանում"), ("ru", "Вынужденное переселение")),
    ),
    ThesaurusEntry(
        "Exodus of 2023",
        "Displacement",
        labels=(
            ("en", "September 2023 exodus"),
            ("hy", "2023 թվականի զանգվածային տեղահանում"),
            ("ru", "Исход 2023 года"),
        ),
        scope_note="The departure of almost the whole Armenian population of Nagorno-Karabakh "
        "in the last week of September 2023.",
    ),
    ThesaurusEntry("Refugees", "Displacement", labels=(("hy", "Փախստականներ"), ("ru", "Беженцы"))),
    ThesaurusEntry(
        "Blockade",
        labels=(("hy", "Շրջափակում"), ("ru", "Блокада")),
        scope_note="Sieges and closed roads: the early 1990s and December 2022 to September 2023.",
    ),
    ThesaurusEntry(
        "Lachin corridor blockade",
        "Blockade",
        labels=(("hy", "Լաչինի միջանցքի շրջափակում"), ("ru", "Блокада Лачинского коридора")),
    ),
    ThesaurusEntry(
        "Food shortages",
        "Blockade",
        labels=(("hy", "Սննդի պակաս"), ("ru", "Нехватка продовольствия")),
    ),
    ThesaurusEntry(
        "Medicine shortages",
        "Blockade",
        labels=(("hy", "Դեղորայքի պակաս"), ("ru", "Нехватка лекарств")),
    ),
    ThesaurusEntry(
        "Fuel and energy shortages",
        "Blockade",
        labels=(
            ("hy", "Վառելիքի և էլեկտրաէներգիայի պակաս"),
            ("ru", "Нехватка топлива и электроэнергии"),
        ),
    ),
    ThesaurusEntry(
        "Shelter",
        labels=(("hy", "Ապաստան"), ("ru", "Размещение и убежище")),
        scope_note="Where displaced people found a roof, for a night or for years.",
    ),
    ThesaurusEntry(
        "Collective centres",
        "Shelter",
        labels=(("hy", "Կոլեկտիվ կացարաններ"), ("ru", "Пункты временного размещения")),
    ),
    ThesaurusEntry("Housing", "Shelter", labels=(("hy", "Բնակարան"), ("ru", "Жильё"))),
    ThesaurusEntry(
        "Humanitarian access",
        labels=(("hy", "Մարդասիրական հասանելիություն"), ("ru", "Гуманитарный доступ")),
        scope_note="Whether aid, medical transfers and aid workers could reach people.",
    ),
    ThesaurusEntry(
        "Humanitarian aid",
        "Humanitarian access",
        labels=(("hy", "Մարդասիրական օգնություն"), ("ru", "Гуманитарная помощь")),
    ),
    ThesaurusEntry(
        "Medical evacuation",
        "Humanitarian access",
        labels=(("hy", "Բժշկական տարհանում"), ("ru", "Медицинская эвакуация")),
    ),
    ThesaurusEntry(
        "Family separation",
        labels=(("hy", "Ընտանիքների բաժանում"), ("ru", "Разлучение семей")),
    ),
    ThesaurusEntry(
        "Loss of home",
        labels=(("hy", "Տան կորուստ"), ("ru", "Потеря дома")),
    ),
    ThesaurusEntry(
        "Graves left behind",
        "Loss of home",
        labels=(("hy", "Հետևում մնացած գերեզմաններ"), ("ru", "Оставленные могилы")),
    ),
    ThesaurusEntry("Education", labels=(("hy", "Կրթություն"), ("ru", "Образование"))),
    ThesaurusEntry("Schools", "Education", labels=(("hy", "Դպրոցներ"), ("ru", "Школы"))),
    ThesaurusEntry("Health care", labels=(("hy", "Առողջապահություն"), ("ru", "Здравоохранение"))),
    ThesaurusEntry(
        "Religion and heritage",
        labels=(("hy", "Կրոն և ժառանգություն"), ("ru", "Религия и наследие")),
    ),
    ThesaurusEntry(
        "Churches and monasteries",
        "Religion and heritage",
        labels=(("hy", "Եկեղեցիներ և վանքեր"), ("ru", "Церкви и монастыри")),
    ),
    ThesaurusEntry("War", labels=(("hy", "Պատերազմ"), ("ru", "Война"))),
    ThesaurusEntry(
        "1988–1994 war",
        "War",
        labels=(
            ("en", "First Nagorno-Karabakh war"),
            ("hy", "Արցախյան առաջին պատերազմ"),
            ("ru", "Война 1988–1994 годов"),
            ("ru", "Первая карабахская война"),
        ),
    ),
    ThesaurusEntry(
        "2020 war",
        "War",
        labels=(
            ("en", "44-day war"),
            ("hy", "2020 թվականի պատերազմ"),
            ("hy", "44-օրյա պատերազմ"),
            ("ru", "Война 2020 года"),
            ("ru", "44-дневная война"),
        ),
    ),
    ThesaurusEntry("Shelling", "War", labels=(("hy", "Հրետակոծություն"), ("ru", "Обстрелы"))),
    ThesaurusEntry(
        "Military service",
        "War",
        labels=(("hy", "Զինվորական ծառայություն"), ("ru", "Военная служба")),
    ),
    ThesaurusEntry("Bereavement", "War", labels=(("hy", "Սուգ"), ("ru", "Утрата близких"))),
    ThesaurusEntry(
        "Detention and captivity",
        "War",
        labels=(("hy", "Կալանք և գերություն"), ("ru", "Задержание и плен")),
    ),
    ThesaurusEntry(
        "Work and livelihoods",
        labels=(("hy", "Աշխատանք և ապրուստ"), ("ru", "Работа и заработок")),
    ),
    ThesaurusEntry(
        "Farming",
        "Work and livelihoods",
        labels=(("hy", "Գյուղատնտեսություն"), ("ru", "Сельское хозяйство")),
    ),
    ThesaurusEntry(
        "Children and youth",
        labels=(("hy", "Երեխաներ և երիտասարդներ"), ("ru", "Дети и молодёжь")),
    ),
    ThesaurusEntry("Older people", labels=(("hy", "Տարեցներ"), ("ru", "Пожилые люди"))),
    ThesaurusEntry("Memory", labels=(("hy", "Հիշողություն"), ("ru", "Память"))),
)


# Collections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectionEntry:
    slug: str
    title: str
    description: str


EXODUS = "exodus-2023"
BLOCKADE = "blockade-diaries"
WAR_2020 = "voices-2020-war"
FIRST_WAR = "first-war-memories"
STARTING_AGAIN = "starting-again"

COLLECTIONS: tuple[CollectionEntry, ...] = (
    CollectionEntry(
        EXODUS,
        "Exodus of September 2023",
        "The departure of the Armenian population of Nagorno-Karabakh in the last week of "
        "September 2023, and the first weeks in Armenia.",
    ),
    CollectionEntry(
        BLOCKADE,
        "Blockade diaries 2022–2023",
        "Daily life while the Lachin corridor was closed, December 2022 to September 2023.",
    ),
    CollectionEntry(
        WAR_2020,
        "Voices of the 2020 war",
        "The six weeks of war in autumn 2020 and the months after the ceasefire.",
    ),
    CollectionEntry(
        FIRST_WAR,
        "Memories of the 1988–1994 war",
        "Older narrators remember the first war: sieges, shelters, the ceasefire of May 1994.",
    ),
    CollectionEntry(
        STARTING_AGAIN,
        "Starting again in Armenia",
        "Collective centres, rented flats, new schools and new work after displacement.",
    ),
)


# Narrators, consent and testimonies ------------------------------------------------------


@dataclass(frozen=True)
class NarratorEntry:
    attribution: str
    given_name: str = ""
    """Empty when no identity is on file."""
    family_name: str = ""
    name_in_original_script: str = ""
    pseudonym: str = ""
    birth_year: int | None = None
    occupation: str = ""
    place_of_origin: str | None = None
    fictional: bool = True


@dataclass(frozen=True)
class ConsentTerms:
    """The scope of one consent record. Video, image and document flags stay off: the demo
    has no such files."""

    allows_archiving: bool = True
    allows_researcher_access: bool = True
    allows_public_metadata: bool = True
    allows_public_transcript: bool = True
    allows_public_audio: bool = True
    allows_name_disclosure: bool = True
    allows_quotation: bool = True
    verified: bool = True
    embargo_years: int | None = None
    """Embargo until 1 January, this many years after the year the demo is loaded."""
    withdrawn: bool = False
    withdrawal_note: str = ""
    method: str = ConsentRecord.Method.ELECTRONIC
    form_language: str = "hy"
    guardian: str = ""
    """For a minor: who consented on their behalf."""
    obtained_by: str | None = None
    """None: the interviewer took consent."""


FULL_CONSENT = ConsentTerms()
WITHOUT_PUBLIC_AUDIO = replace(FULL_CONSENT, allows_public_audio=False)
WITHOUT_NAME = replace(FULL_CONSENT, allows_name_disclosure=False)
RESEARCHERS_ONLY = replace(
    FULL_CONSENT,
    allows_public_metadata=False,
    allows_public_transcript=False,
    allows_public_audio=False,
    allows_quotation=False,
)
ARCHIVE_ONLY = replace(
    RESEARCHERS_ONLY, allows_researcher_access=False, allows_name_disclosure=False
)


@dataclass(frozen=True)
class TranslationEntry:
    language: str
    translator: str
    text: str


SYNTHETIC_SOURCE = (
    "Synthetic demo testimony: a fictional account written for this demonstration archive. "
    "The narrator is not a real person."
)
SYNTHETIC_RIGHTS = "Demo content written for Testimony Archive; free to reuse for testing."


@dataclass(frozen=True)
class TestimonyEntry:
    key: str
    """The testimony's external_id: how a second run finds it again."""
    title: str
    summary: str
    narrator: NarratorEntry
    language: str
    text: str
    recorded_on: date | None
    recorded_precision: str
    recording_place: str | None
    period: tuple[int, int] | None
    places: tuple[str, ...]
    subjects: tuple[str, ...]
    collection: str | None
    interviewer: str = ""
    translation: TranslationEntry | None = None
    source: str = SYNTHETIC_SOURCE
    rights_statement: str = SYNTHETIC_RIGHTS
    content_notes: str = ""
    status: str = Testimony.Status.PUBLISHED
    access_level: str = AccessLevel.PUBLIC
    consent: ConsentTerms | None = FULL_CONSENT
    recording_access: str | None = None
    """Attach the demo recording with this access level (None: no recording)."""
    review_comment: str = ""
    """For changes requested: what the moderator asked for."""
    withdrawal_reason: str = ""


DAY = Testimony.DatePrecision.DAY
MONTH = Testimony.DatePrecision.MONTH
FULL = Narrator.Attribution.FULL_NAME
INITIAL = Narrator.Attribution.GIVEN_NAME_INITIAL
PSEUDONYM = Narrator.Attribution.PSEUDONYM
ANONYMOUS = Narrator.Attribution.ANONYMOUS

DRAFT = Testimony.Status.DRAFT
IN_REVIEW = Testimony.Status.IN_REVIEW
CHANGES_REQUESTED = Testimony.Status.CHANGES_REQUESTED
SCHEDULED = Testimony.Status.SCHEDULED
WITHDRAWN = Testimony.Status.WITHDRAWN

TRANSLATOR_RU = "Karen Zakaryan"
TRANSLATOR_HY = "Ani Movsisyan"

VERA_PETROSYAN = TestimonyEntry(
    key="demo:vera-petrosyan",
    title="“I left everything behind”",
    summary=(
        "Vera Petrosyan, a 70-year-old retired teacher from Nagorno-Karabakh, spoke to Reuters "
        "on 26 September 2023 at a Soviet-era hotel on the Armenian side of the border that had "
        "become her home after she fled."
    ),
    narrator=NarratorEntry(
        attribution=FULL,
        given_name="Vera",
        family_name="Petrosyan",
        name_in_original_script="Վերա Պետրոսյան",
        birth_year=1953,
        occupation="Retired teacher",
        place_of_origin="Nagorno-Karabakh",
        fictional=False,
    ),
    language="en",
    text=text(
        """
        I left everything behind… I don't know what is in store for me. I have nothing. I don't
        want anything. I would not want anybody to see what I have seen.
        """
    ),
    recorded_on=date(2023, 9, 26),
    recorded_precision=DAY,
    recording_place="Syunik Province",
    period=(2023, 2023),
    places=("Nagorno-Karabakh", "Stepanakert"),
    subjects=("Exodus of 2023", "Forced displacement", "Loss of home", "Older people"),
    collection=EXODUS,
    interviewer="Reuters",
    source="Reuters interview, 26 September 2023, at a Soviet-era hotel on the Armenian side "
    "of the border.",
    rights_statement="Her words as quoted by Reuters (26 September 2023), reproduced as a short "
    "quotation. The demo recording attached to this entry is a generated tone, not her voice.",
    content_notes="Loss of home and displacement.",
    consent=replace(FULL_CONSENT, form_language="hy", obtained_by=""),
    recording_access=AccessLevel.PUBLIC,
)

SYNTHETIC_TESTIMONIES: tuple[TestimonyEntry, ...] = (
    TestimonyEntry(
        key="demo:001",
        title="Forty hours on the road to Goris",
        summary="A nurse from Stepanakert describes the drive out of Nagorno-Karabakh with her "
        "mother and two children in September 2023, and the first nights in Goris.",
        narrator=NarratorEntry(
            FULL,
            "Gayane",
            "Sahakyan",
            "Գայանե Սահակյան",
            birth_year=1979,
            occupation="Nurse",
            place_of_origin="Stepanakert",
        ),
        language="en",
        text=text(
            """
            We left on the twenty-sixth, in the morning. My mother sat in the front because of
            her legs, the children in the back with the blankets and a bag of documents. We had
            fuel for maybe half the road. A neighbour siphoned some from his tractor for us, and
            we did not know if it would be enough.

            The road was one line of cars, buses and trucks with furniture tied on top. We moved
            a few hundred metres and then stood for an hour. People walked beside the cars to
            stretch their legs. Nobody had eaten properly for months, and you could see it in
            the faces. At night we kept the engine off to save fuel and slept sitting up.

            At the checkpoint on the bridge they looked at our passports and at the children and
            told us to go on. I did not breathe until we were past it. After that the road
            climbed, and when I saw the first Armenian police car at Kornidzor I started to cry,
            and my daughter asked me why, because we were safe now.

            In Goris a woman we did not know took us into her house for three nights. Her own
            son slept on the floor. I am a nurse, so on the second day I went to the clinic to
            ask if they needed help. They did. I think that is what kept me standing.
            """
        ),
        recorded_on=date(2023, 10, 4),
        recorded_precision=DAY,
        recording_place="Goris",
        period=(2023, 2023),
        places=("Stepanakert", "Lachin corridor", "Kornidzor", "Goris"),
        subjects=("Exodus of 2023", "Fuel and energy shortages", "Shelter", "Health care"),
        collection=EXODUS,
        interviewer="Tatevik Melkumyan",
        consent=replace(FULL_CONSENT, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:002",
        title="We were among the last to leave our village",
        summary="A farmer from Karmir Shuka, in the Martuni district, on the last days of his "
        "village and the walnut trees his father planted. In Russian, with an English "
        "translation.",
        narrator=NarratorEntry(
            FULL,
            "Sergo",
            "Aghajanyan",
            "Սերգո Աղաջանյան",
            birth_year=1951,
            occupation="Farmer",
            place_of_origin="Karmir Shuka",
        ),
        language="ru",
        text=text(
            """
            Наша деревня стоит на склоне над дорогой на Мартуни. Я родился в этой деревне и
            думал, что там и умру. Мой отец посадил ореховые деревья за домом, когда я ещё ходил
            в школу. В сентябре орехи как раз поспели, и никто их не собрал.

            Когда объявили, что все могут уехать, в нашей деревне оставалось человек сорок.
            Молодые уехали раньше, кто смог. В соседних деревнях было то же самое: старики,
            женщины, несколько машин на всех. Мы ждали, пока вернётся автобус из Степанакерта, и
            уехали одними из последних.

            Я взял с собой документы на дом, фотографии и маленький мешочек земли из сада. Жена
            говорит, что это глупо. Может быть. Но я кладу руку на этот мешочек, когда не могу
            уснуть.

            Сейчас мы живём в Масисе, в двух комнатах у дальних родственников. Здесь тоже есть
            сады, и я иногда помогаю соседу. Работа руками помогает. Но каждое утро я просыпаюсь
            и несколько секунд думаю, что я дома, в своей деревне.
            """
        ),
        translation=TranslationEntry(
            "en",
            TRANSLATOR_RU,
            text(
                """
                Our village stands on a slope above the road to Martuni. I was born in that
                village and thought I would die there. My father planted walnut trees behind the
                house when I was still at school. In September the walnuts were just ripe, and
                nobody picked them.

                When it was announced that everyone could leave, about forty people were left in
                our village. The young ones had gone earlier, those who could. In the
                neighbouring villages it was the same: old people, women, a few cars for
                everyone. We waited for the bus to come back from Stepanakert and were among the
                last to leave.

                I took the papers for the house, photographs and a small bag of earth from the
                garden. My wife says it is foolish. Maybe. But I put my hand on that bag when I
                cannot sleep.

                Now we live in Masis, in two rooms at the home of distant relatives. There are
                orchards here too, and sometimes I help a neighbour. Working with my hands helps.
                But every morning I wake up and for a few seconds I think I am at home, in my
                village.
                """
            ),
        ),
        recorded_on=date(2023, 10, 1),
        recorded_precision=MONTH,
        recording_place="Masis",
        period=(2023, 2023),
        places=("Karmir Shuka", "Martuni", "Masis"),
        subjects=("Exodus of 2023", "Loss of home", "Farming", "Older people"),
        collection=EXODUS,
        interviewer="Ani Movsisyan",
        consent=replace(FULL_CONSENT, form_language="ru"),
    ),
    TestimonyEntry(
        key="demo:003",
        title="We left the house with the doors open",
        summary="A librarian from Martakert on leaving in September 2023 with one book: the "
        "history of her mother's village. In Armenian, with an English translation.",
        narrator=NarratorEntry(
            INITIAL,
            "Hasmik",
            "Ghazaryan",
            "Հասմիկ Ղազարյան",
            birth_year=1966,
            occupation="Librarian",
            place_of_origin="Martakert",
        ),
        language="hy",
        text=text(
            """
            Ես Մարտակերտում երեսուն տարի գրադարանավար եմ աշխատել։ Մայրս ծնվել է մոտակա
            գյուղում, և ամեն ամառ մենք գնում էինք նրա տուն։ Այդ գյուղը հիմա դատարկ է։

            Սեպտեմբերի վերջին մեր գյուղից ու քաղաքից բոլորը միասին էին հեռանում։ Հարևանս
            ասաց, որ դռները կողպելու կարիք չկա, միևնույն է՝ չենք վերադառնալու։ Ես երկար
            կանգնած մնացի շեմին, հետո դուռը բաց թողեցի։

            Գրադարանից վերցրեցի միայն մեկ գիրք՝ մեր գյուղի պատմությունը, որը տարիներ առաջ
            գրել էր դպրոցի ուսուցիչը։ Մնացած գրքերը մնացին դարակներում։ Հաճախ եմ մտածում, թե
            ով է հիմա դրանք բացում։

            Երևանում ապրում ենք քրոջս ընտանիքի հետ։ Աշխատանք եմ փնտրում, բայց իմ տարիքում
            դժվար է։ Երեկոները թոռներիս համար կարդում եմ այդ գիրքը, որ իմանան, թե որտեղից ենք
            եկել։
            """
        ),
        translation=TranslationEntry(
            "en",
            TRANSLATOR_HY,
            text(
                """
                I worked as a librarian in Martakert for thirty years. My mother was born in a
                nearby village, and every summer we went to her house. That village is empty now.

                At the end of September everyone from our village and from the town was leaving
                together. My neighbour said there was no need to lock the doors; we would not be
                coming back anyway. I stood on the threshold for a long time, then left the door
                open.

                From the library I took only one book: the history of our village, which the
                school teacher wrote years ago. The other books stayed on the shelves. I often
                wonder who opens them now.

                In Yerevan we live with my sister's family. I am looking for work, but at my age
                it is hard. In the evenings I read that book to my grandchildren, so that they
                know where we come from.
                """
            ),
        ),
        recorded_on=date(2023, 11, 8),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2023, 2023),
        places=("Martakert", "Yerevan"),
        subjects=("Exodus of 2023", "Loss of home", "Religion and heritage", "Memory"),
        collection=EXODUS,
        interviewer="Ani Movsisyan",
    ),
    TestimonyEntry(
        key="demo:004",
        title="Carrying my father's documents",
        summary="An engineer from Stepanakert on choosing what to take for his father, who "
        "built the city's water pipes, and on the night of the fuel depot explosion.",
        narrator=NarratorEntry(
            FULL,
            "Arsen",
            "Martirosyan",
            "Արսեն Մարտիրոսյան",
            birth_year=1988,
            occupation="Civil engineer",
            place_of_origin="Stepanakert",
        ),
        language="en",
        text=text(
            """
            My father was an engineer like me, and he kept every paper: the plans of the water
            pipes he built in the seventies, his diplomas, letters from my grandfather. When we
            had to leave, I had one bag for all of it. I chose the photographs and his work
            book. The plans stayed behind.

            On the evening of the twenty-fifth we heard the explosion at the fuel depot outside
            the city. People had been queuing there for petrol to leave. A friend of mine from
            school was working at the hospital that night. He told me later that they had no
            space and not enough of anything. I do not want to say more about it.

            We left two days later. My father is eighty-one and did not speak for most of the
            journey. At one point he asked me whether I had taken the plans. I said yes.

            In Yerevan I found work on a building site within a month. My father sits at the
            window of the flat we rent. He asks for his papers every few days, and I show him
            the photographs instead.
            """
        ),
        recorded_on=date(2023, 11, 15),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2023, 2023),
        places=("Stepanakert", "Yerevan"),
        subjects=("Exodus of 2023", "Loss of home", "Older people", "Work and livelihoods"),
        collection=EXODUS,
        interviewer="Tatevik Melkumyan",
        content_notes="Mentions the fuel depot explosion of 25 September 2023.",
        consent=replace(WITHOUT_PUBLIC_AUDIO, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:005",
        title="Leaving for the second time",
        summary="Born in Shushi, displaced to Stepanakert in 1988 and to Goris in 2023, a "
        "retired accountant compares the two departures. In Russian, with an English "
        "translation.",
        narrator=NarratorEntry(
            FULL,
            "Tamara",
            "Babayan",
            "Թամարա Բաբայան",
            birth_year=1948,
            occupation="Retired accountant",
            place_of_origin="Shushi",
        ),
        language="ru",
        text=text(
            """
            Я родилась в Шуше, в доме на верхней улице, откуда был виден весь Степанакерт. В
            восемьдесят восьмом году мы ушли оттуда в одну ночь, с одной сумкой. Тогда я думала,
            что хуже уже не будет.

            Потом тридцать пять лет мы жили в Степанакерте. Я работала бухгалтером на заводе,
            вырастила двоих детей, похоронила мужа. Квартиру нам дали маленькую, но она стала
            нашим домом, с моими цветами на балконе.

            В этот раз я собиралась медленно, как будто понимала, что больше не вернусь. Взяла
            фотографии мужа, его медаль и кастрюлю, в которой всегда варила варенье. Дочь
            смеялась над кастрюлей, а потом, в дороге, мы в ней грели воду.

            Сейчас мы в Горисе, в старой гостинице. Нас здесь много, всем дали кровати и одеяла.
            Люди добрые. Но мне семьдесят пять лет, и я не знаю, где буду жить через месяц. Во
            второй раз уходить тяжелее, чем в первый.
            """
        ),
        translation=TranslationEntry(
            "en",
            TRANSLATOR_RU,
            text(
                """
                I was born in Shushi, in a house on the upper street from where you could see
                all of Stepanakert. In 1988 we left there in one night, with one bag. Back then I
                thought nothing could be worse.

                Then for thirty-five years we lived in Stepanakert. I worked as an accountant at a
                factory, raised two children and buried my husband. The flat we were given was
                small, but it became our home, with my flowers on the balcony.

                This time I packed slowly, as if I understood that I would not come back. I took
                my husband's photographs, his medal and the pot I always made jam in. My
                daughter laughed at the pot, and then, on the road, we heated water in it.

                Now we are in Goris, in an old hotel. There are many of us here; everyone was
                given a bed and blankets. People are kind. But I am seventy-five years old and I
                do not know where I will live in a month. Leaving the second time is harder than
                the first.
                """
            ),
        ),
        recorded_on=date(2023, 10, 20),
        recorded_precision=DAY,
        recording_place="Goris",
        period=(1988, 2023),
        places=("Shushi", "Stepanakert", "Goris"),
        subjects=("1988–1994 war", "Exodus of 2023", "Collective centres", "Older people"),
        collection=EXODUS,
        interviewer="Karen Zakaryan",
        consent=replace(FULL_CONSENT, form_language="ru"),
    ),
    TestimonyEntry(
        key="demo:006",
        title="Displaced twice: from Togh to Stepanakert to Abovyan",
        summary="A retired driver from Togh, in the Hadrut district, left his village in "
        "October 2020 and Stepanakert in September 2023. He asked to remain anonymous. In "
        "Armenian.",
        narrator=NarratorEntry(
            ANONYMOUS,
            "Rafik",
            "Hovhannisyan",
            "Ռաֆիկ Հովհաննիսյան",
            birth_year=1940,
            occupation="Retired driver",
            place_of_origin="Togh",
        ),
        language="hy",
        text=text(
            """
            Ես ծնվել եմ Հադրութի շրջանի Տող գյուղում։ Ամբողջ կյանքս վարորդ եմ աշխատել,
            գիտեի Արցախի բոլոր ճանապարհները։ 2020 թվականի հոկտեմբերին, երբ կռիվը հասավ մեր
            գյուղին, կնոջս հետ գնացինք Ստեփանակերտ՝ մտածելով, որ մի քանի շաբաթով է։

            Երեք տարի Ստեփանակերտում ապրեցինք ուրիշի բնակարանում։ Ամեն օր մտածում էի մեր
            գյուղի, մեր այգու, մեր հարևանների մասին, որոնք ցրվել էին ամեն տեղ։ Հետո եկավ
            շրջափակումը, իսկ սեպտեմբերին երկրորդ անգամ ճամփա ընկանք։

            Հիմա Աբովյանում ենք։ Պետությունն օգնում է վարձի հարցում, տղաս էլ աշխատում է։ Ես
            արդեն ութսուն տարեկանից անց եմ և գիտեմ, որ Տող չեմ վերադառնա։ Խնդրում եմ միայն,
            որ թոռներս հիշեն գյուղի անունը։
            """
        ),
        recorded_on=date(2024, 3, 1),
        recorded_precision=MONTH,
        recording_place="Abovyan",
        period=(2020, 2024),
        places=("Togh", "Hadrut", "Stepanakert", "Abovyan"),
        subjects=("2020 war", "Forced displacement", "Exodus of 2023", "Older people"),
        collection=STARTING_AGAIN,
        interviewer="Ani Movsisyan",
        consent=WITHOUT_NAME,
    ),
    TestimonyEntry(
        key="demo:007",
        title="The graves we could not visit",
        summary="A school administrator from Askeran on burying her mother during the blockade "
        "and leaving her parents' graves behind. Open to researchers.",
        narrator=NarratorEntry(
            INITIAL,
            "Karine",
            "Danielyan",
            "Կարինե Դանիելյան",
            birth_year=1972,
            occupation="School administrator",
            place_of_origin="Askeran",
        ),
        language="en",
        text=text(
            """
            My parents are buried in the cemetery above Askeran, next to my grandparents. In
            the last days before we left, the road to the cemetery was closed, and I could not
            go to say goodbye to them. That is the thing I cannot forgive myself, even though it
            was not in my hands.

            My mother died during the blockade, in March. There was no fuel for the car, so we
            carried her to the cemetery ourselves, the neighbours and I, and the priest walked
            with us. There were no flowers in the shops. Children from the street brought
            branches of almond blossom.

            I agreed to this interview because I want there to be some record of where they
            are. I have written down the row and the number of the grave and the names on the
            stones next to theirs. If someone can visit one day, they will know where to look.

            Here in Yerevan we go to church on my mother's day. It is a different church, but
            the prayer is the same. My son says the graves are in our memory now. He is young;
            maybe that is enough for him.
            """
        ),
        recorded_on=date(2024, 2, 10),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2023, 2023),
        places=("Askeran", "Yerevan"),
        subjects=(
            "Graves left behind",
            "Bereavement",
            "Lachin corridor blockade",
            "Exodus of 2023",
        ),
        collection=EXODUS,
        interviewer="Tatevik Melkumyan",
        content_notes="The death of a parent; graves left behind.",
        access_level=AccessLevel.RESEARCHERS,
        consent=replace(RESEARCHERS_ONLY, form_language="en"),
        recording_access=AccessLevel.RESEARCHERS,
    ),
    TestimonyEntry(
        key="demo:008",
        title="Separated at the checkpoint",
        summary="A mechanic from Stepanakert on the moment his brother was stopped at the "
        "checkpoint in September 2023. Embargoed at the narrator's request.",
        narrator=NarratorEntry(
            FULL,
            "Davit",
            "Arakelyan",
            "Դավիթ Առաքելյան",
            birth_year=1985,
            occupation="Mechanic",
            place_of_origin="Stepanakert",
        ),
        language="en",
        text=text(
            """
            We travelled in two cars, my brother's family in front and mine behind. At the
            checkpoint on the bridge they stopped his car and asked him to step out. They let
            my sister-in-law and the children come with us and told us to drive on.

            I did not want to leave him. An officer told me that I could do nothing by standing
            there and that I was holding up the line. My nephew was crying in the back seat. I
            drove on. I think about those minutes every day.

            For weeks we knew nothing. Then a message came through the Red Cross. He is alive.
            I cannot say more now, and I have asked the archive to keep this closed until the
            family decides it can be told.

            In Kapan we rented a flat together, both families. The children go to the same
            school. On Sundays we set a place at the table for him.
            """
        ),
        recorded_on=date(2023, 12, 5),
        recorded_precision=DAY,
        recording_place="Kapan",
        period=(2023, 2023),
        places=("Stepanakert", "Lachin corridor", "Kapan"),
        subjects=("Family separation", "Detention and captivity", "Exodus of 2023"),
        collection=EXODUS,
        interviewer="Karen Zakaryan",
        content_notes="The detention of a family member.",
        consent=replace(FULL_CONSENT, embargo_years=10, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:009",
        title="A pharmacy without medicines",
        summary="A pharmacist in Stepanakert on rationing medicines during the blockade. The "
        "narrator chose a pseudonym. In Armenian.",
        narrator=NarratorEntry(
            PSEUDONYM,
            "Lusine",
            "Hakobyan",
            "Լուսինե Հակոբյան",
            pseudonym="Anahit P.",
            birth_year=1992,
            occupation="Pharmacist",
            place_of_origin="Stepanakert",
        ),
        language="hy",
        text=text(
            """
            Ես դեղագործ եմ, աշխատում էի Ստեփանակերտի կենտրոնի դեղատներից մեկում։
            Շրջափակման առաջին շաբաթներին մարդիկ գալիս էին հերթով և գնում էին ամեն ինչ, ինչ
            կար։ Հունվարին արդեն դարակների կեսը դատարկ էր։

            Ամենադժվարը շաքարախտով և սրտի հիվանդություններով տարեցների հետ էր։ Մենք ցուցակ
            էինք կազմել, թե ում ինչ է պետք, և բաժանում էինք մի քանի հաբ՝ մինչև հաջորդ
            օգնությունը։ Երբեմն Կարմիր խաչի մեքենաները դեղեր էին բերում, բայց դա բոլորին չէր
            բավականացնում։

            Մի կին եկավ գյուղից ոտքով, որովհետև բենզին չկար։ Նա իր թոռան համար դեղ էր
            ուզում, իսկ ես ոչինչ չունեի տալու։ Մինչև հիմա հիշում եմ նրա դեմքը։

            Այժմ աշխատում եմ Երևանի դեղատներից մեկում։ Դարակները լիքն են, և առաջին ամիսներին
            չէի կարողանում սովորել դրան։ Խնդրել եմ, որ իմ անունը չնշվի։
            """
        ),
        recorded_on=date(2024, 1, 20),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2022, 2023),
        places=("Stepanakert", "Yerevan"),
        subjects=(
            "Lachin corridor blockade",
            "Medicine shortages",
            "Health care",
            "Humanitarian aid",
        ),
        collection=BLOCKADE,
        interviewer="Ani Movsisyan",
        consent=WITHOUT_NAME,
    ),
    TestimonyEntry(
        key="demo:010",
        title="Bread queues in Stepanakert",
        summary="A primary school teacher on queuing for bread before lessons during the "
        "blockade, and teaching hungry children.",
        narrator=NarratorEntry(
            FULL,
            "Lilit",
            "Gasparyan",
            "Լիլիթ Գասպարյան",
            birth_year=1990,
            occupation="Primary school teacher",
            place_of_origin="Stepanakert",
        ),
        language="en",
        text=text(
            """
            From December the shops emptied week by week. First fruit, then sugar, then flour.
            By the summer, bread was given out with coupons, one loaf per family per day, and
            people started queuing at four or five in the morning.

            I stood in the queue before school and then went to teach. The children were hungry
            and could not concentrate. We shortened the lessons. Some days I just read aloud to
            them, because that was something they could listen to with their heads on the
            desks.

            People were patient with each other in the queues, most of the time. Old women told
            stories about the war in the nineties, when it was also like this. Once a man
            fainted, and everyone let his wife go to the front. Nobody said a word.

            When I think of the blockade, I think of the smell of that bakery at five in the
            morning, and the light of telephones in the dark, because there was no electricity
            for the street lamps.
            """
        ),
        recorded_on=date(2024, 1, 12),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2022, 2023),
        places=("Stepanakert",),
        subjects=("Lachin corridor blockade", "Food shortages", "Schools"),
        collection=BLOCKADE,
        interviewer="Tatevik Melkumyan",
        consent=replace(FULL_CONSENT, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:011",
        title="Blockade diary: the hospital",
        summary="An internist at the hospital in Stepanakert on deciding which patients could "
        "be transferred out, and on the diary she kept. In Russian, with an English "
        "translation.",
        narrator=NarratorEntry(
            FULL,
            "Irina",
            "Osipyan",
            "Իրինա Օսիպյան",
            birth_year=1981,
            occupation="Physician",
            place_of_origin="Stepanakert",
        ),
        language="ru",
        text=text(
            """
            Я работала терапевтом в республиканской больнице. В декабре, когда закрыли дорогу,
            мы сначала думали, что это на несколько дней. Через две недели начали считать каждую
            упаковку лекарств.

            Плановые операции отменили почти сразу. Тяжёлых больных вывозили через Красный
            Крест, но машин было мало, и каждый раз приходилось решать, кого отправлять первым.
            Эти решения я помню по именам.

            Зимой отключали газ, в палатах было холодно. Родственники приносили одеяла из дома.
            Медсёстры работали по две смены, потому что кто-то не мог доехать из деревни — не
            было бензина.

            Я вела короткий дневник, по несколько строк в день. Сейчас, когда перечитываю, вижу,
            как менялся почерк. К лету я писала только цифры: сколько пациентов, сколько
            инсулина, сколько часов был свет.
            """
        ),
        translation=TranslationEntry(
            "en",
            TRANSLATOR_RU,
            text(
                """
                I worked as an internist at the republican hospital. In December, when the road
                was closed, at first we thought it would be for a few days. After two weeks we
                began counting every box of medicine.

                Planned operations were cancelled almost at once. Seriously ill patients were
                taken out through the Red Cross, but there were few vehicles, and every time we
                had to decide whom to send first. I remember those decisions by name.

                In winter the gas was cut off, and the wards were cold. Relatives brought
                blankets from home. The nurses worked double shifts, because some could not get
                in from their village: there was no petrol.

                I kept a short diary, a few lines a day. Reading it now, I can see how my
                handwriting changed. By the summer I was writing only numbers: how many
                patients, how much insulin, how many hours of electricity.
                """
            ),
        ),
        recorded_on=date(2023, 11, 28),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2022, 2023),
        places=("Stepanakert",),
        subjects=(
            "Lachin corridor blockade",
            "Health care",
            "Medical evacuation",
            "Medicine shortages",
        ),
        collection=BLOCKADE,
        interviewer="Karen Zakaryan",
        consent=replace(FULL_CONSENT, form_language="ru"),
    ),
    TestimonyEntry(
        key="demo:012",
        title="Light at night",
        summary="A physics teacher on the hours of electricity during the blockade, a solar "
        "charger built with his pupils, and the stars over a dark city. In Armenian.",
        narrator=NarratorEntry(
            FULL,
            "Narek",
            "Simonyan",
            "Նարեկ Սիմոնյան",
            birth_year=1995,
            occupation="Physics teacher",
            place_of_origin="Stepanakert",
        ),
        language="hy",
        text=text(
            """
            Շրջափակման ժամանակ էլեկտրականությունը տալիս էին ժամերով։ Երեկոյան մեր
            թաղամասում լույսը լինում էր երկու-երեք ժամ, և այդ ընթացքում բոլորը փորձում էին
            ամեն ինչ անել՝ լվանալ, եփել, լիցքավորել հեռախոսները։

            Ես ֆիզիկա էի դասավանդում։ Աշակերտներիս հետ հին մասերից փոքր արևային լիցքավորիչ
            սարքեցինք։ Այն շատ թույլ էր, բայց երեխաները հպարտ էին, որ իրենց ձեռքով է արված։

            Գիշերը քաղաքը մութ էր, և երկինքը լի էր աստղերով։ Մայրս ասում էր, որ երբեք
            Ստեփանակերտում այդքան աստղ չի տեսել։ Ես նրան ցույց էի տալիս համաստեղությունները,
            ինչպես դասարանում։

            Այդ լիցքավորիչը մնաց դպրոցում։ Երբեմն մտածում եմ՝ արդյոք ինչ-որ մեկը գտե՞լ է
            այն։
            """
        ),
        recorded_on=date(2024, 4, 3),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2023, 2023),
        places=("Stepanakert",),
        subjects=("Lachin corridor blockade", "Fuel and energy shortages", "Schools"),
        collection=BLOCKADE,
        interviewer="Ani Movsisyan",
    ),
    TestimonyEntry(
        key="demo:013",
        title="Gas, candles and the kindergarten timetable",
        summary="The director of a kindergarten in Martuni on keeping sixty children warm and "
        "fed during the blockade winter. Consent not yet verified.",
        narrator=NarratorEntry(
            FULL,
            "Sona",
            "Avetisyan",
            "Սոնա Ավետիսյան",
            birth_year=1977,
            occupation="Kindergarten director",
            place_of_origin="Martuni",
        ),
        language="en",
        text=text(
            """
            Our kindergarten in Martuni had sixty children before the blockade. In January we
            had to close two groups, because there was no gas for heating and the rooms were
            too cold for small children.

            The parents organised themselves. One father brought a wood stove, another the
            wood. We moved all the children into the biggest room and kept them in their coats.
            We sang a lot, because singing keeps you warm.

            Food was the hardest. The state gave us what it could, but there were weeks with
            only buckwheat and bread. The cook made the same thing look different every day, so
            the children would eat it.

            I still have the timetable we wrote for the winter, with the hours of electricity
            marked in red. I kept it because I thought one day someone would not believe it.
            """
        ),
        recorded_on=date(2024, 5, 14),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2023, 2023),
        places=("Martuni",),
        subjects=("Lachin corridor blockade", "Children and youth", "Fuel and energy shortages"),
        collection=BLOCKADE,
        interviewer="Tatevik Melkumyan",
        status=IN_REVIEW,
        access_level=AccessLevel.STAFF,
        consent=replace(FULL_CONSENT, verified=False, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:014",
        title="Driving the last bus from Askeran",
        summary="Draft. A bus driver on thirty years of the Askeran route, the blockade "
        "without diesel, and three journeys to Goris in September 2023. In Russian.",
        narrator=NarratorEntry(
            FULL,
            "Aram",
            "Karapetyan",
            "Արամ Կարապետյան",
            birth_year=1960,
            occupation="Bus driver",
            place_of_origin="Askeran",
        ),
        language="ru",
        text=text(
            """
            Тридцать лет я водил автобус между Аскераном и Степанакертом. Я знал всех
            пассажиров по именам: кто едет на рынок, кто в больницу, кто к детям.

            Во время блокады автобусы почти не ходили — не было солярки. Люди ходили пешком, по
            десять-пятнадцать километров. Иногда я видел своих бывших пассажиров на обочине и не
            мог их подвезти.

            В сентябре мне дали топливо и сказали вывозить людей. Я сделал три рейса до Гориса.
            В последний раз в автобусе было больше людей, чем мест, и никто не жаловался.

            Теперь у меня нет ни автобуса, ни маршрута. Иногда я выхожу на остановку в Ереване
            просто посмотреть, как люди садятся и едут домой.
            """
        ),
        recorded_on=date(2024, 6, 1),
        recorded_precision=MONTH,
        recording_place="Yerevan",
        period=(1994, 2023),
        places=("Askeran", "Stepanakert", "Goris"),
        subjects=("Exodus of 2023", "Fuel and energy shortages", "Work and livelihoods"),
        collection=EXODUS,
        interviewer="Karen Zakaryan",
        status=DRAFT,
        access_level=AccessLevel.STAFF,
        consent=None,
    ),
    TestimonyEntry(
        key="demo:015",
        title="The orchards of our village",
        summary="A farmer from Chartar on how the village gardens fed families during the "
        "blockade, and on sowing beans again in Vardenis. In Armenian, with an English "
        "translation.",
        narrator=NarratorEntry(
            FULL,
            "Gohar",
            "Asryan",
            "Գոհար Ասրյան",
            birth_year=1958,
            occupation="Farmer",
            place_of_origin="Chartar",
        ),
        language="hy",
        text=text(
            """
            Ճարտարը մեծ գյուղ էր՝ այգիներով ու խաղողի վազերով։ Մեր ընտանիքը թթենիներ ու
            նռնենիներ ուներ, և աշնանը ամբողջ գյուղում թթի օղի էին քաշում։

            Շրջափակման տարում այգիները մեզ փրկեցին։ Քաղաքում հաց չկար, իսկ գյուղում գոնե
            կարտոֆիլ ու լոբի էինք աճեցնում։ Հարևաններով կիսվում էինք ամեն ինչով, ինչ ունեինք,
            և ինչ կարողանում էինք՝ ուղարկում էինք Ստեփանակերտ՝ բարեկամներին։

            Բայց առանց վառելիքի տրակտորը կանգնել էր, և հողը փորում էինք ձեռքով, ինչպես
            պապերս։ Մեր գյուղից շատ երիտասարդներ արդեն գնացել էին, ու աշխատանքը մնացել էր
            կանանց ու ծերերի վրա։

            Այստեղ՝ Վարդենիսում, մեզ հող են տվել փոքր բանջարանոցի համար։ Առաջին գարնանը լոբի
            ցանեցի։ Երբ ծիլերը դուրս եկան, լաց եղա, բայց դա լավ արցունք էր։
            """
        ),
        translation=TranslationEntry(
            "en",
            TRANSLATOR_HY,
            text(
                """
                Chartar was a big village, with orchards and vines. Our family had mulberry and
                pomegranate trees, and in autumn the whole village distilled mulberry vodka.

                In the year of the blockade the orchards saved us. In the town there was no
                bread, but in the village we could at least grow potatoes and beans. We shared
                everything we had with the neighbours and sent what we could to relatives in
                Stepanakert.

                But without fuel the tractor stood still, and we dug the soil by hand, like our
                grandfathers. Many young people from our village had already left, and the work
                fell on the women and the old.

                Here in Vardenis we were given land for a small vegetable garden. The first
                spring I sowed beans. When the shoots came up I cried, but they were good tears.
                """
            ),
        ),
        recorded_on=date(2023, 12, 18),
        recorded_precision=DAY,
        recording_place="Vardenis",
        period=(2022, 2024),
        places=("Chartar", "Stepanakert", "Vardenis"),
        subjects=("Lachin corridor blockade", "Food shortages", "Farming"),
        collection=BLOCKADE,
        interviewer="Ani Movsisyan",
        consent=WITHOUT_PUBLIC_AUDIO,
    ),
    TestimonyEntry(
        key="demo:016",
        title="School during the blockade",
        summary="A girl of fourteen on seventh grade without sugar, light or internet, and on "
        "starting again at a school in Yerevan. Interviewed with her mother present; her "
        "mother consented for her.",
        narrator=NarratorEntry(
            INITIAL,
            "Mane",
            "Grigoryan",
            "Մանե Գրիգորյան",
            birth_year=2009,
            occupation="School pupil",
            place_of_origin="Stepanakert",
        ),
        language="en",
        text=text(
            """
            I was in seventh grade when the road was closed. At first it was almost exciting,
            because school finished early. Then it was not exciting any more.

            There was no sugar and no sweets, and my little brother asked for them every day.
            My mother learned to make something sweet from the dried fruit we had from the
            summer. We called it blockade cake.

            In the evenings we did homework by a torch, and when the batteries ran out, by a
            candle. My friend and I wrote letters to each other even though we lived on the
            same street, because there was no internet most of the time.

            Now I go to school in Yerevan. The other children are kind, but they ask questions
            I do not know how to answer. My teacher said I can write about it instead of
            talking, so now I keep a diary too.
            """
        ),
        recorded_on=date(2023, 12, 22),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2022, 2023),
        places=("Stepanakert", "Yerevan"),
        subjects=("Lachin corridor blockade", "Children and youth", "Schools", "Food shortages"),
        collection=BLOCKADE,
        interviewer="Tatevik Melkumyan",
        consent=replace(
            WITHOUT_NAME,
            allows_public_audio=False,
            form_language="en",
            guardian="Her mother, Anush Grigoryan, as her parent",
        ),
    ),
    TestimonyEntry(
        key="demo:017",
        title="Distributing aid in Stepanakert",
        summary="A volunteer at a neighbourhood aid point on sharing out what reached the city "
        "during the blockade, and the lists he kept. In Russian. Open to researchers.",
        narrator=NarratorEntry(
            FULL,
            "Garik",
            "Mkrtchyan",
            "Գարիկ Մկրտչյան",
            birth_year=1970,
            occupation="Volunteer, formerly a factory foreman",
            place_of_origin="Stepanakert",
        ),
        language="ru",
        text=text(
            """
            Во время блокады я был волонтёром в пункте раздачи помощи в нашем районе. Мы
            получали то, что удавалось провезти, и делили по спискам: сначала семьи с маленькими
            детьми, потом больные и пожилые.

            Самое тяжёлое было говорить людям, что сегодня ничего нет. Люди понимали, но я
            видел, как им стыдно просить. Многие приходили в лучшей одежде, как на праздник,
            чтобы сохранить достоинство.

            Весной несколько раз пропускали грузовики Красного Креста. Однажды привезли муку, и
            очередь стояла до самого вечера. Мы работали без перерыва, а соседи приносили нам
            чай.

            Я сохранил тетради со списками. Там имена и подписи сотен людей. Я не знаю, где они
            все сейчас, но тетради я отдал в архив, чтобы это осталось.
            """
        ),
        recorded_on=date(2024, 2, 27),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2022, 2023),
        places=("Stepanakert",),
        subjects=("Humanitarian access", "Humanitarian aid", "Food shortages"),
        collection=BLOCKADE,
        interviewer="Karen Zakaryan",
        access_level=AccessLevel.RESEARCHERS,
        consent=replace(RESEARCHERS_ONLY, form_language="ru"),
    ),
    TestimonyEntry(
        key="demo:018",
        title="Waiting for insulin",
        summary="An accountant with diabetes on the insulin lists of the blockade and the nurse "
        "who walked to the villages. Sent back for changes.",
        narrator=NarratorEntry(
            FULL,
            "Armine",
            "Aslanyan",
            "Արմինե Ասլանյան",
            birth_year=1969,
            occupation="Accountant",
            place_of_origin="Martuni",
        ),
        language="en",
        text=text(
            """
            I have had diabetes for fifteen years. Before the blockade it was a matter of
            routine: a prescription, the pharmacy, the injection. In the spring of 2023 the
            routine stopped.

            The hospital kept a list of everyone who needed insulin, and we were told when to
            come. Some weeks the dose was cut. I learned to read my body carefully, what I ate,
            how I walked, because I knew there was little margin.

            A nurse from our district walked to the villages with insulin in a cool bag, because
            there was no fuel for the ambulance. I do not know her family name. I would like her
            to know that I remember.

            In Masis now I get my medicine at the polyclinic without any problem. Still, I keep
            a reserve in the fridge, more than I need. My daughter says I do not have to. I
            cannot stop.
            """
        ),
        recorded_on=date(2024, 3, 19),
        recorded_precision=DAY,
        recording_place="Masis",
        period=(2023, 2024),
        places=("Martuni", "Masis"),
        subjects=("Lachin corridor blockade", "Health care", "Medicine shortages"),
        collection=BLOCKADE,
        interviewer="Tatevik Melkumyan",
        status=CHANGES_REQUESTED,
        access_level=AccessLevel.STAFF,
        consent=replace(WITHOUT_PUBLIC_AUDIO, form_language="en"),
        review_comment="Please confirm with the narrator the months when the insulin dose was "
        "cut, and add a content note about illness.",
    ),
    TestimonyEntry(
        key="demo:019",
        title="Six weeks in the basement",
        summary="An economist on twelve families sheltering in the basement of a Stepanakert "
        "apartment block from September to November 2020.",
        narrator=NarratorEntry(
            FULL,
            "Mariam",
            "Khachatryan",
            "Մարիամ Խաչատրյան",
            birth_year=1983,
            occupation="Economist",
            place_of_origin="Stepanakert",
        ),
        language="en",
        text=text(
            """
            When the shelling started on the twenty-seventh of September, it was a Sunday
            morning. We went down to the basement of our building in our house clothes, with
            the children half asleep. We thought it would be a few hours.

            We stayed there, on and off, for six weeks. Twelve families. We put carpets on the
            concrete, and somebody brought a gas cooker. The men went up to fetch water when it
            was quiet. The children learned to tell by the sound whether to be afraid.

            My husband was at the front. He called when he could, usually at night, and the
            whole basement went quiet so that I could hear him. After the call everyone asked,
            and I told them what I could.

            When the war ended in November, we came up and the city looked the same and
            completely different. Our windows were broken. We swept the glass, put plastic on
            the frames and went on living, because there was nothing else to do.
            """
        ),
        recorded_on=date(2021, 5, 11),
        recorded_precision=DAY,
        recording_place="Stepanakert",
        period=(2020, 2020),
        places=("Stepanakert",),
        subjects=("2020 war", "Shelling", "Children and youth", "Family separation"),
        collection=WAR_2020,
        interviewer="Karen Zakaryan",
        content_notes="Shelling of a city; fear for children and for a husband at the front.",
        consent=replace(FULL_CONSENT, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:020",
        title="Shushi, November 2020",
        summary="A music teacher stayed in Shushi with elderly neighbours until early November "
        "2020. In Russian, with an English translation.",
        narrator=NarratorEntry(
            FULL,
            "Levon",
            "Mirzoyan",
            "Լևոն Միրզոյան",
            birth_year=1963,
            occupation="Music teacher",
            place_of_origin="Shushi",
        ),
        language="ru",
        text=text(
            """
            В Шуше я прожил почти тридцать лет, преподавал в музыкальной школе. В октябре
            двадцатого года город обстреливали почти каждый день, и большинство жителей уехали в
            Степанакерт и дальше.

            Я оставался до начала ноября. Со мной были ещё несколько соседей, пожилые люди,
            которые не хотели уходить. Мы жили в подвале школы, там было тепло от старой печки.
            По вечерам я играл им на кларнете, тихо, чтобы не было страшно.

            Когда стало ясно, что город не удержат, за нами приехала машина. Я взял кларнет и
            ноты учеников, а пианино осталось в классе. Мы ехали ночью, без фар.

            Сейчас я живу в Ереване и снова преподаю. Один мой ученик из Шуши учится в
            консерватории. Когда он играет, я слышу наш класс.
            """
        ),
        translation=TranslationEntry(
            "en",
            TRANSLATOR_RU,
            text(
                """
                I lived in Shushi for almost thirty years and taught at the music school. In
                October 2020 the town was shelled almost every day, and most of the residents
                left for Stepanakert and further.

                I stayed until the beginning of November. A few neighbours were with me, old
                people who did not want to leave. We lived in the school basement; it was warm
                from the old stove. In the evenings I played the clarinet for them, quietly, so
                that they would not be afraid.

                When it became clear that the town would not be held, a car came for us. I took
                the clarinet and my pupils' sheet music; the piano stayed in the classroom. We
                drove at night, without headlights.

                Now I live in Yerevan and teach again. One of my pupils from Shushi studies at
                the conservatory. When he plays, I hear our classroom.
                """
            ),
        ),
        recorded_on=date(2021, 3, 2),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2020, 2020),
        places=("Shushi", "Stepanakert", "Yerevan"),
        subjects=("2020 war", "Shelling", "Older people", "Religion and heritage"),
        collection=WAR_2020,
        interviewer="Karen Zakaryan",
        consent=replace(FULL_CONSENT, form_language="ru"),
    ),
    TestimonyEntry(
        key="demo:021",
        title="After Hadrut",
        summary="The director of the school in Hadrut took his pupils' registers to Stepanakert "
        "in October 2020 and taught them there. In Armenian.",
        narrator=NarratorEntry(
            FULL,
            "Ashot",
            "Galstyan",
            "Աշոտ Գալստյան",
            birth_year=1955,
            occupation="School director",
            place_of_origin="Hadrut",
        ),
        language="hy",
        text=text(
            """
            Հադրութում քսան տարի դպրոցի տնօրեն եմ եղել։ Պատերազմի առաջին օրերին երեխաներին
            տեղափոխեցինք Ստեփանակերտ՝ կարծելով, որ շուտով կվերադառնանք և կշարունակենք
            ուսումնական տարին։

            Հոկտեմբերի կեսին Հադրութը կորցրինք։ Աշակերտներիս մատյանները վերցրել էի հետս, և
            դրանք միակ բանն են, որ մնացել է դպրոցից։ Ամեն անուն հիշում եմ։

            Ստեփանակերտում մեր դպրոցի երեխաների համար առանձին դասարաններ բացվեցին։
            Ուսուցիչների կեսն էր մնացել։ Փորձում էինք, որ երեխաներն իրենց տանը զգան, թեև տուն
            այլևս չկար։

            Հիմա, երբ նրանց տեսնում եմ փողոցում՝ մեծացած, դեռ ինձ «պարոն տնօրեն» են ասում։
            Դա իմ ամենամեծ պարգևն է։
            """
        ),
        recorded_on=date(2022, 6, 1),
        recorded_precision=MONTH,
        recording_place="Stepanakert",
        period=(2020, 2022),
        places=("Hadrut", "Stepanakert"),
        subjects=("2020 war", "Schools", "Forced displacement", "Children and youth"),
        collection=WAR_2020,
        interviewer="Ani Movsisyan",
    ),
    TestimonyEntry(
        key="demo:022",
        title="My son's last call",
        summary="A mother on the phone calls from her son during his military service in "
        "autumn 2020, and the last one. The narrator chose a pseudonym. Open to researchers.",
        narrator=NarratorEntry(
            PSEUDONYM,
            "Naira",
            "Balayan",
            "Նաիրա Բալայան",
            pseudonym="Siranush K.",
            birth_year=1965,
            occupation="Seamstress",
            place_of_origin="Martakert",
        ),
        language="en",
        text=text(
            """
            My son was twenty when the war began. He was doing his military service in the
            south. On the first day he called and said they were fine and that I should not
            watch the news.

            He called every two or three days, always for a minute, always the same words. In
            October he called and asked about his little sister's school. It was an ordinary
            call. It was the last one.

            For three weeks we did not know. Then they told us. We buried him in Stepanakert,
            in the part of the cemetery where many of the boys lie. I go there on Saturdays
            with the other mothers.

            I agreed to speak because other mothers have spoken, and because I want people to
            know that he was a boy who liked football and wanted to study to be a vet. I do not
            want my name to be known. It is enough that his story is told.
            """
        ),
        recorded_on=date(2021, 10, 7),
        recorded_precision=DAY,
        recording_place="Stepanakert",
        period=(2020, 2021),
        places=("Martakert", "Stepanakert"),
        subjects=("2020 war", "Military service", "Bereavement"),
        collection=WAR_2020,
        interviewer="Tatevik Melkumyan",
        content_notes="The death of a son in the 2020 war.",
        access_level=AccessLevel.RESEARCHERS,
        consent=replace(RESEARCHERS_ONLY, allows_name_disclosure=False, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:023",
        title="We came back to Martakert",
        summary="A shopkeeper returned to Martakert after the 2020 war, kept her empty shop "
        "open during the blockade, and left for good in 2023. In Russian.",
        narrator=NarratorEntry(
            FULL,
            "Anzhela",
            "Abrahamyan",
            "Անժելա Աբրահամյան",
            birth_year=1974,
            occupation="Shopkeeper",
            place_of_origin="Martakert",
        ),
        language="ru",
        text=text(
            """
            Осенью двадцатого года Мартакерт обстреливали, и мы с детьми уехали в Ереван к
            сестре. Муж остался. Когда война закончилась, мы вернулись. Город остался, но часть
            района уже отошла к Азербайджану.

            Мы отремонтировали магазин, вставили стёкла. Люди возвращались медленно. В деревнях
            вокруг многие дома стояли пустые, потому что их жители теперь жили в Степанакерте
            или в Армении.

            Потом началась блокада, и магазин опустел. Я открывала его каждое утро, хотя
            продавать было нечего, — чтобы люди могли зайти, поговорить, узнать новости.

            В сентябре мы уехали во второй раз, уже навсегда. Ключ от магазина у меня в сумке.
            Я ношу его с собой, хотя знаю, что замка, наверное, уже нет.
            """
        ),
        recorded_on=date(2023, 11, 2),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2020, 2023),
        places=("Martakert", "Yerevan"),
        subjects=("2020 war", "Lachin corridor blockade", "Exodus of 2023", "Work and livelihoods"),
        collection=EXODUS,
        interviewer="Karen Zakaryan",
        consent=replace(FULL_CONSENT, form_language="ru"),
    ),
    TestimonyEntry(
        key="demo:024",
        title="The village below the cliffs",
        summary="Born in Karin Tak in 1944, a grandmother remembers the shelling of the early "
        "1990s and leaving the village in November 2020. In Armenian.",
        narrator=NarratorEntry(
            FULL,
            "Seda",
            "Israelyan",
            "Սեդա Իսրայելյան",
            birth_year=1944,
            occupation="Retired collective farm worker",
            place_of_origin="Karin Tak",
        ),
        language="hy",
        text=text(
            """
            Մեր գյուղը Շուշիի ժայռերի տակ է, դրա համար էլ կոչվում է Քարին տակ։ Ես այնտեղ եմ
            ծնվել, այնտեղ ամուսնացել, այնտեղ մեծացրել իմ չորս երեխաներին։

            Իննսունականների պատերազմի ժամանակ Շուշիից գյուղը գնդակոծում էին, և մենք
            տարիներով ապրում էինք նկուղներում։ Երբ պատերազմն ավարտվեց, կարծում էինք, որ այլևս
            երբեք այդպես չի լինի։

            2020 թվականի նոյեմբերին կռիվը նորից հասավ մեր գյուղին։ Այս անգամ մենք
            չվերադարձանք։ Գյուղում մնացին ամուսնուս գերեզմանը և իմ տնկած ընկուզենին։

            Ստեփանակերտում ապրում եմ թոռանս հետ։ Պատուհանից երևում են Շուշիի ժայռերը։ Ամեն
            առավոտ նայում եմ դրանց և բարևում մեր գյուղը։
            """
        ),
        recorded_on=date(2021, 7, 1),
        recorded_precision=MONTH,
        recording_place="Stepanakert",
        period=(1991, 2021),
        places=("Karin Tak", "Shushi", "Stepanakert"),
        subjects=("1988–1994 war", "2020 war", "Graves left behind", "Older people"),
        collection=WAR_2020,
        interviewer="Ani Movsisyan",
        consent=WITHOUT_PUBLIC_AUDIO,
    ),
    TestimonyEntry(
        key="demo:025",
        title="Receiving people in Goris",
        summary="A social worker from Goris on registering arrivals in 2020 and in September "
        "2023, and on a town that opened its houses.",
        narrator=NarratorEntry(
            FULL,
            "Nune",
            "Hayrapetyan",
            "Նունե Հայրապետյան",
            birth_year=1986,
            occupation="Social worker",
            place_of_origin="Goris",
        ),
        language="en",
        text=text(
            """
            I am from Goris; I have never lived in Karabakh, but half of my class at school had
            relatives there. In 2020 we received families fleeing the war. In 2023 we received
            everyone.

            For a week the centre of town was one big registration point. We wrote down names,
            ages, medical needs, where people wanted to go. Many did not know. Some asked only
            whether their relatives had already passed through, and we searched the lists
            together.

            The people of Goris opened their houses. Hotels, schools and the sports hall became
            shelters. Someone was always cooking. My mother made soup for three days without
            stopping, and strangers came to the door to collect it in jars.

            What stays with me is how quiet the people arriving were. Children slept on their
            parents' laps on the pavement. Nobody shouted. They were so tired that even grief
            had to wait.
            """
        ),
        recorded_on=date(2023, 10, 12),
        recorded_precision=DAY,
        recording_place="Goris",
        period=(2020, 2023),
        places=("Goris", "Kornidzor"),
        subjects=("Exodus of 2023", "Collective centres", "Humanitarian aid", "Family separation"),
        collection=EXODUS,
        interviewer="Tatevik Melkumyan",
        consent=replace(FULL_CONSENT, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:026",
        title="A house in Hadrut",
        summary="On a family house in Hadrut left in October 2020. Withdrawn at the narrator's "
        "request.",
        narrator=NarratorEntry(
            FULL,
            "Hovik",
            "Sargsyan",
            "Հովիկ Սարգսյան",
            birth_year=1976,
            occupation="Electrician",
            place_of_origin="Hadrut",
        ),
        language="en",
        text=text(
            """
            Our house in Hadrut had a balcony that looked over the whole valley. My father built
            it in 1979 with his brothers, stone by stone. I grew up on that balcony, doing
            homework and watching the road.

            In October 2020 we left in the middle of the night when the fighting reached the
            edge of town. I took nothing except the car keys and my mother. I did not think it
            would be the last time.

            Since then I have seen photographs of the street on the internet. I do not look at
            them any more. It does not help.

            We live in Yerevan now, in a rented flat on the ninth floor. My mother says it is
            too high to be a house. She is right.
            """
        ),
        recorded_on=date(2022, 4, 14),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2020, 2022),
        places=("Hadrut", "Yerevan"),
        subjects=("2020 war", "Loss of home", "Forced displacement"),
        collection=WAR_2020,
        interviewer="Karen Zakaryan",
        status=WITHDRAWN,
        withdrawal_reason="The narrator withdrew consent to publication.",
        consent=replace(
            FULL_CONSENT,
            form_language="en",
            withdrawn=True,
            withdrawal_note="The narrator asked for the account to be taken off every public "
            "surface; it stays in the archive for staff.",
        ),
    ),
    TestimonyEntry(
        key="demo:027",
        title="Letters to my grandmother",
        summary="Draft. A student on letters to her grandmother, who lived in a village near "
        "Hadrut until 2020. In Russian.",
        narrator=NarratorEntry(
            FULL,
            "Marina",
            "Ohanyan",
            "Մարինա Օհանյան",
            birth_year=1998,
            occupation="Student",
            place_of_origin="Stepanakert",
        ),
        language="ru",
        text=text(
            """
            Моя бабушка жила в деревне под Гадрутом, а я училась в Степанакерте. Каждую неделю я
            писала ей письма, хотя у неё был телефон: ей нравилось перечитывать их по вечерам.

            После войны двадцатого года бабушка переехала к нам. Она привезла с собой все мои
            письма, перевязанные ниткой. Больше почти ничего не успела взять.

            Во время блокады связь часто пропадала, и я снова писала бабушке записки — оставляла
            их на кухонном столе, когда уходила в очередь за хлебом.

            Бабушка умерла в Ереване весной. Письма теперь у меня. Я хочу когда-нибудь отвезти
            их туда, где они были написаны.
            """
        ),
        recorded_on=date(2024, 7, 1),
        recorded_precision=MONTH,
        recording_place="Yerevan",
        period=(2018, 2024),
        places=("Hadrut", "Stepanakert", "Yerevan"),
        subjects=("Memory", "2020 war", "Lachin corridor blockade", "Older people"),
        collection=WAR_2020,
        interviewer="Ani Movsisyan",
        status=DRAFT,
        access_level=AccessLevel.STAFF,
        consent=None,
    ),
    TestimonyEntry(
        key="demo:028",
        title="Winter in Askeran, 1991",
        summary="A retired tractor driver remembers the first war in Askeran: the mountain "
        "paths, the shared oven, the ceasefire of May 1994. In Armenian.",
        narrator=NarratorEntry(
            FULL,
            "Vardan",
            "Musayelyan",
            "Վարդան Մուսայելյան",
            birth_year=1949,
            occupation="Retired tractor driver",
            place_of_origin="Askeran",
        ),
        language="hy",
        text=text(
            """
            Իննսունմեկի աշնանը մեր գյուղում արդեն լույս չկար։ Ճանապարհները փակ էին, և
            Ստեփանակերտ հասնելու համար լեռներով էինք անցնում։ Ես այն ժամանակ քառասունն անց
            էի, ունեի երեք երեխա։

            Ձմեռը շատ ցուրտ էր։ Փայտ էինք հավաքում անտառից, իսկ գիշերները հերթով հսկում էինք
            գյուղի ծայրին։ Կանայք բոլորի համար հաց էին թխում մեկ թոնրում, որ ալյուրը խնայեն։

            Իննսունչորսի մայիսին, երբ հրադադար հայտարարվեց, դուրս եկանք փողոց ու լռեցինք։ Ոչ
            ոք բարձրաձայն չէր ուրախանում, որովհետև շատ ընտանիքներ ինչ-որ մեկին էին կորցրել։

            Թոռներիս այդ տարիների մասին քիչ եմ պատմել։ Կարծում էի, թե նրանք դա երբեք չեն
            տեսնի։ Հիմա հասկանում եմ, որ պետք էր պատմել։
            """
        ),
        recorded_on=date(2022, 9, 1),
        recorded_precision=MONTH,
        recording_place="Askeran",
        period=(1991, 1994),
        places=("Askeran", "Stepanakert"),
        subjects=("1988–1994 war", "Blockade", "Memory"),
        collection=FIRST_WAR,
        interviewer="Ani Movsisyan",
    ),
    TestimonyEntry(
        key="demo:029",
        title="Stepanakert, winter 1992",
        summary="A teacher of Russian literature read aloud to the children sheltering in her "
        "building's basement during the siege of Stepanakert. In Russian, with an English "
        "translation.",
        narrator=NarratorEntry(
            FULL,
            "Lyudmila",
            "Arzumanyan",
            "Լյուդմիլա Արզումանյան",
            birth_year=1945,
            occupation="Retired teacher of Russian",
            place_of_origin="Stepanakert",
        ),
        language="ru",
        text=text(
            """
            Зимой девяносто второго года Степанакерт обстреливали почти каждый день. Мы жили в
            подвале нашей пятиэтажки, тридцать человек, и выходили наверх только за водой.

            Я тогда преподавала русский язык и литературу. Школы не работали, но я собирала
            соседских детей в подвале и читала им вслух — Пушкина, Чехова, сказки. Дети сидели
            на мешках с песком и слушали, а когда начинался обстрел, я читала громче.

            Воду носили из родника на окраине, в канистрах. Хлеб пекли сами, когда была мука.
            Электричества не было месяцами, и мы научились узнавать друг друга в темноте по
            голосу.

            Многие из тех детей сейчас уже взрослые, у них свои дети. Один мальчик, теперь
            врач, недавно сказал мне, что до сих пор помнит «Капитанскую дочку» моим голосом в
            темноте. Ради этого стоило всё пережить.
            """
        ),
        translation=TranslationEntry(
            "en",
            TRANSLATOR_RU,
            text(
                """
                In the winter of 1992 Stepanakert was shelled almost every day. We lived in the
                basement of our five-storey building, thirty people, and went up only to fetch
                water.

                At that time I taught Russian language and literature. The schools were closed,
                but I gathered the neighbours' children in the basement and read aloud to them:
                Pushkin, Chekhov, fairy tales. The children sat on sandbags and listened, and
                when the shelling began I read louder.

                We carried water in canisters from a spring on the edge of town. We baked bread
                ourselves when there was flour. There was no electricity for months, and we
                learned to recognise each other in the dark by our voices.

                Many of those children are grown up now, with children of their own. One boy, a
                doctor now, told me recently that he still remembers “The Captain's Daughter”
                in my voice in the dark. For that it was worth living through everything.
                """
            ),
        ),
        recorded_on=date(2022, 5, 17),
        recorded_precision=DAY,
        recording_place="Stepanakert",
        period=(1991, 1992),
        places=("Stepanakert",),
        subjects=("1988–1994 war", "Shelling", "Education", "Children and youth"),
        collection=FIRST_WAR,
        interviewer="Karen Zakaryan",
        consent=replace(FULL_CONSENT, form_language="ru"),
    ),
    TestimonyEntry(
        key="demo:030",
        title="I was nineteen in 1992",
        summary="A builder who fought in the first war as a conscript on the seven of eleven "
        "classmates who came back, and on rebuilding roofs after the ceasefire.",
        narrator=NarratorEntry(
            FULL,
            "Gagik",
            "Tovmasyan",
            "Գագիկ Թովմասյան",
            birth_year=1973,
            occupation="Construction foreman",
            place_of_origin="Martakert",
        ),
        language="en",
        text=text(
            """
            I was nineteen in 1992, and nobody asked us whether we wanted to go. Everyone from
            my class went. At the beginning we had one rifle for two of us, and old boots from
            somebody's father.

            I do not want to talk about the fighting. I will say that of the eleven boys from my
            class, seven came back. Every year on the same day we meet, the seven of us, and set
            four more glasses on the table.

            What I remember most is not the front but the villages after the ceasefire. People
            coming back to burnt houses and starting with the roof, because the roof comes
            first. I worked on roofs for two years after the war. That is how I became a
            builder.

            I built houses in Karabakh for thirty years. In 2020 and in 2023 I lost most of
            them. Now my son asks me why I still build. I tell him that is what you do after a
            war.
            """
        ),
        recorded_on=date(2023, 12, 6),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(1992, 2023),
        places=("Martakert", "Yerevan"),
        subjects=("1988–1994 war", "Military service", "Bereavement", "Work and livelihoods"),
        collection=FIRST_WAR,
        interviewer="Tatevik Melkumyan",
        content_notes="Combat and the death of friends, mentioned briefly.",
        consent=replace(WITHOUT_PUBLIC_AUDIO, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:031",
        title="The village school in Vank",
        summary="A teacher of Armenian on forty years at the school of Vank, below Gandzasar: "
        "lessons in her kitchen during the first war, and fewer pupils every year. In "
        "Armenian. Open to researchers.",
        narrator=NarratorEntry(
            INITIAL,
            "Nvard",
            "Shahbazyan",
            "Նվարդ Շահբազյան",
            birth_year=1952,
            occupation="Teacher of Armenian",
            place_of_origin="Vank",
        ),
        language="hy",
        text=text(
            """
            Վանքի դպրոցում քառասուն տարի հայոց լեզու և գրականություն եմ դասավանդել։ Մեր
            գյուղը Գանձասարի վանքի ստորոտում է, և ամեն տարի առաջին դասը անցկացնում էինք վանքի
            բակում։

            Առաջին պատերազմի տարիներին դպրոցը մի քանի ամիս փակ էր։ Դասերը տանն էի
            անցկացնում՝ խոհանոցի սեղանի շուրջ։ Երեխաները գալիս էին իրենց տետրերով, և մայրերը
            ինձ համար հաց էին ուղարկում։

            Խաղաղ տարիներին գյուղում նոր դպրոց կառուցվեց։ Բայց երեխաները քչանում էին,
            երիտասարդները գնում էին քաղաք կամ Հայաստան։ Վերջին տարում իմ դասարանում ութ
            աշակերտ կար։

            Աշակերտներիս միշտ ասում էի․ «Որտեղ էլ լինեք, ձեր գյուղից մի գիրք տարեք ձեզ հետ»։
            Հիմա ինքս եմ այդ խորհուրդը հիշում։
            """
        ),
        recorded_on=date(2022, 8, 30),
        recorded_precision=DAY,
        recording_place="Vank",
        period=(1982, 2022),
        places=("Vank", "Martakert"),
        subjects=("1988–1994 war", "Schools", "Churches and monasteries"),
        collection=FIRST_WAR,
        interviewer="Ani Movsisyan",
        access_level=AccessLevel.RESEARCHERS,
        consent=RESEARCHERS_ONLY,
    ),
    TestimonyEntry(
        key="demo:032",
        title="Letters from the front, 1993",
        summary="A postman in Stepanakert on carrying letters from the front during the first "
        "war. In review. In Russian.",
        narrator=NarratorEntry(
            FULL,
            "Robert",
            "Melikyan",
            "Ռոբերտ Մելիքյան",
            birth_year=1958,
            occupation="Retired postman",
            place_of_origin="Stepanakert",
        ),
        language="ru",
        text=text(
            """
            Я работал на почте в Степанакерте с восемьдесят первого года. Во время войны письма
            с фронта приходили пачками, иногда через неделю, иногда через месяц. Я разносил их
            пешком, потому что машины забрали для армии.

            Люди ждали меня у подъездов. По моему лицу пытались угадать, что я несу. Я научился
            идти с ровным лицом, что бы ни было в сумке.

            Однажды я принёс в одну семью сразу три письма от сына, написанные в разные недели.
            Мать читала их по порядку и смеялась и плакала одновременно. Этот день я помню лучше
            многих других.

            Похоронки приносил не я, а военкомат. Но люди всё равно боялись, когда видели
            почтальона. Я это понимал и не обижался.
            """
        ),
        recorded_on=date(2024, 8, 21),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(1992, 1994),
        places=("Stepanakert",),
        subjects=("1988–1994 war", "Family separation", "Military service"),
        collection=FIRST_WAR,
        interviewer="Karen Zakaryan",
        status=IN_REVIEW,
        consent=replace(FULL_CONSENT, form_language="ru"),
    ),
    TestimonyEntry(
        key="demo:033",
        title="Talish, three times",
        summary="A woman from Talish left her village in 1992, in April 2016 and in 2020, and "
        "Stepanakert in 2023.",
        narrator=NarratorEntry(
            FULL,
            "Zaruhi",
            "Avanesyan",
            "Զարուհի Ավանեսյան",
            birth_year=1961,
            occupation="Shopkeeper",
            place_of_origin="Talish",
        ),
        language="en",
        text=text(
            """
            Talish is at the northern edge of Karabakh, close to the line. In 1992 we left it
            for the first time and came back two years later to walls without roofs. My parents
            rebuilt the house, and I married in that house.

            In April 2016 the fighting came to Talish again, for four days. We left with the
            children in a neighbour's truck. When we came back, the school had holes in the
            walls, and for a year the children studied in other villages.

            In 2020 the village was lost. This time there was nothing to come back to. We lived
            in Stepanakert until September 2023, and then we left with everyone else.

            People ask me which time was the worst. I cannot answer. Each time you think you
            have learned how to leave. You have not.
            """
        ),
        recorded_on=date(2023, 10, 26),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(1992, 2023),
        places=("Talish", "Martakert", "Stepanakert"),
        subjects=("1988–1994 war", "2020 war", "Forced displacement", "Loss of home"),
        collection=WAR_2020,
        interviewer="Tatevik Melkumyan",
        consent=replace(FULL_CONSENT, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:034",
        title="A collective centre in Vardenis",
        summary="An electrician from Martuni on two rooms in a former holiday house near "
        "Vardenis, shared kitchens, and men without work.",
        narrator=NarratorEntry(
            FULL,
            "Hayk",
            "Baghdasaryan",
            "Հայկ Բաղդասարյան",
            birth_year=1980,
            occupation="Electrician",
            place_of_origin="Martuni",
        ),
        language="en",
        text=text(
            """
            We were given two rooms in a former holiday house near Vardenis, five of us. There
            are thirty families in the building. The kitchen is shared, and we cook in turns
            according to a list on the door.

            The first winter was cold, but the heating worked, and after the blockade that felt
            like luxury. My wife cried the first time she turned on a tap and hot water came
            out.

            I found work as an electrician in the town. The pay is not much, but it is work.
            Many men here have nothing to do all day, and that is the hardest thing to watch. A
            man without work starts to disappear.

            The children go to the local school. They already speak like the Vardenis children.
            My youngest does not remember Martuni. I am not sure if that is sad or a mercy.
            """
        ),
        recorded_on=date(2024, 1, 30),
        recorded_precision=DAY,
        recording_place="Vardenis",
        period=(2023, 2024),
        places=("Vardenis", "Martuni"),
        subjects=("Collective centres", "Work and livelihoods", "Children and youth"),
        collection=STARTING_AGAIN,
        interviewer="Tatevik Melkumyan",
        consent=replace(FULL_CONSENT, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:035",
        title="A new school in Abovyan",
        summary="A mother of three on renting in Abovyan and her children's first weeks at "
        "new schools. In Russian.",
        narrator=NarratorEntry(
            FULL,
            "Emma",
            "Asatryan",
            "Էմմա Ասատրյան",
            birth_year=1987,
            occupation="Bookkeeper",
            place_of_origin="Stepanakert",
        ),
        language="ru",
        text=text(
            """
            Мы сняли квартиру в Абовяне, потому что здесь дешевле, чем в Ереване, и ходит
            маршрутка. У меня трое детей, старшему двенадцать.

            Первую неделю в новой школе сын молчал. Учительница позвонила мне и спросила, всё ли
            в порядке. Я объяснила, откуда мы. На следующий день она попросила его рассказать
            классу про Степанакерт, и он говорил сорок минут.

            Младшая дочь ходит в садик. Она рисует дом с балконом и большим деревом и говорит,
            что это наш дом. Наш дом был в пятиэтажке, без дерева. Я не спорю.

            Иногда я думаю о деревнях вокруг Степанакерта, куда мы ездили летом за фруктами.
            Дети их уже не помнят. Я покупаю абрикосы на рынке и рассказываю, какие были у нас.
            """
        ),
        recorded_on=date(2024, 2, 15),
        recorded_precision=DAY,
        recording_place="Abovyan",
        period=(2023, 2024),
        places=("Abovyan", "Stepanakert"),
        subjects=("Housing", "Schools", "Children and youth"),
        collection=STARTING_AGAIN,
        interviewer="Karen Zakaryan",
        consent=replace(WITHOUT_PUBLIC_AUDIO, form_language="ru"),
    ),
    TestimonyEntry(
        key="demo:036",
        title="Renting in Masis",
        summary="A taxi driver from Stepanakert on rent, state support and learning the roads "
        "of Masis. In Armenian, with an English translation. Approved, to be published "
        "a month after the demo was loaded.",
        narrator=NarratorEntry(
            FULL,
            "Tigran",
            "Avagyan",
            "Տիգրան Ավագյան",
            birth_year=1976,
            occupation="Taxi driver",
            place_of_origin="Stepanakert",
        ),
        language="hy",
        text=text(
            """
            Մասիսում երկսենյականոց բնակարան ենք վարձում։ Վարձը մեծ է, պետական օգնությունը
            ծածկում է մի մասը, մնացածը վաստակում եմ տաքսի վարելով։

            Ստեփանակերտում էլ էի վարորդ և քաղաքի ամեն փողոցը գիտեի։ Այստեղ առաջին ամիսներին
            մոլորվում էի, ուղևորներն էին ինձ ճանապարհը ցույց տալիս։ Շատերը, երբ իմանում էին,
            որ Արցախից եմ, չէին ուզում, որ մանրը վերադարձնեմ։

            Կինս աշխատում է մանկապարտեզում։ Երեխաները սովորում են տեղի դպրոցում։ Փորձում ենք
            ամեն ինչ նորից սկսել, բայց ամեն ամիս մտածում ենք՝ կկարողանա՞նք արդյոք մնալ այս
            բնակարանում։

            Երազում եմ տուն գնել։ Ոչ մեծ, բայց մերը, որ այլևս ոչ ոք չասի՝ պետք է հեռանաք։
            """
        ),
        translation=TranslationEntry(
            "en",
            TRANSLATOR_HY,
            text(
                """
                We rent a two-room flat in Masis. The rent is high; state support covers part of
                it, and I earn the rest driving a taxi.

                In Stepanakert I was a driver too and knew every street of the city. Here, in
                the first months, I got lost, and the passengers showed me the way. Many of
                them, when they found out I was from Artsakh, did not want me to give back their
                change.

                My wife works at a kindergarten. The children study at the local school. We are
                trying to start everything again, but every month we wonder whether we will be
                able to stay in this flat.

                I dream of buying a house. Not a big one, but ours, so that nobody ever tells us
                again that we must leave.
                """
            ),
        ),
        recorded_on=date(2024, 5, 7),
        recorded_precision=DAY,
        recording_place="Masis",
        period=(2023, 2024),
        places=("Masis", "Stepanakert"),
        subjects=("Housing", "Work and livelihoods"),
        collection=STARTING_AGAIN,
        interviewer="Ani Movsisyan",
        status=SCHEDULED,
    ),
    TestimonyEntry(
        key="demo:037",
        title="The keys I still carry",
        summary="A woman from Stepanakert on the keys to a house she cannot return to. She "
        "asked that no name be kept.",
        narrator=NarratorEntry(ANONYMOUS, birth_year=1968, place_of_origin="Stepanakert"),
        language="en",
        text=text(
            """
            I still carry the keys. All of them: the house, the garage, the shed in the garden,
            my mother's flat. They are heavy in my pocket and I know they open nothing now.

            Everyone I know from home has keys like these. When we meet, somebody always takes
            them out, and we laugh at ourselves a little. Then we stop laughing.

            I do not want my name in this archive. Not because I am afraid, but because this is
            not only my story. Write that a woman from Stepanakert said it. There are thousands
            of us.

            If one day someone opens those doors, I hope they look after the garden. The roses
            by the gate are thirty years old.
            """
        ),
        recorded_on=date(2023, 10, 30),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2023, 2023),
        places=("Stepanakert",),
        subjects=("Exodus of 2023", "Loss of home", "Memory"),
        collection=EXODUS,
        interviewer="Tatevik Melkumyan",
        consent=replace(WITHOUT_NAME, form_language="en"),
    ),
    TestimonyEntry(
        key="demo:038",
        title="What the nurses saw",
        summary="A nurse at the hospital in Stepanakert during the 2020 war. She agreed to the "
        "archiving of her account on condition that only archive staff read it. In Armenian.",
        narrator=NarratorEntry(
            FULL,
            "Zhanna",
            "Melkonyan",
            "Ժաննա Մելքոնյան",
            birth_year=1963,
            occupation="Nurse",
            place_of_origin="Hadrut",
        ),
        language="hy",
        text=text(
            """
            Պատերազմի ժամանակ աշխատում էի Ստեփանակերտի հիվանդանոցում։ Շաբաթներով
            հիվանդանոցից դուրս չէինք գալիս, հերթափոխով քնում էինք միջանցքում։

            Վիրավորներին բերում էին գիշեր-ցերեկ՝ զինվորների և խաղաղ բնակիչների։ Հիշում եմ
            մոտակա գյուղից մի ծերունու, որն ամբողջ ժամանակ իր կովի մասին էր հարցնում։ Մենք
            ծիծաղում էինք նրա հետ, որովհետև դա դիմանալու միակ ձևն էր։

            Կան բաներ, որ չեմ ուզում պատմել նույնիսկ այստեղ։ Համաձայնել եմ, որ այս պատմությունը
            պահվի արխիվում, բայց որ այն ոչ ոք չկարդա, բացի արխիվի աշխատակիցներից, քանի դեռ ես
            ողջ եմ։

            Հիմա էլ, երբ շտապօգնության ազդանշան եմ լսում, սիրտս արագ է խփում։ Բժիշկն ասում է՝
            կանցնի։ Ես այդքան էլ չեմ հավատում։
            """
        ),
        recorded_on=date(2021, 2, 16),
        recorded_precision=DAY,
        recording_place="Stepanakert",
        period=(2020, 2021),
        places=("Stepanakert",),
        subjects=("2020 war", "Health care", "Shelling"),
        collection=WAR_2020,
        interviewer="Ani Movsisyan",
        content_notes="Wounded soldiers and civilians in a war hospital.",
        access_level=AccessLevel.STAFF,
        consent=ARCHIVE_ONLY,
    ),
    TestimonyEntry(
        key="demo:039",
        title="Working remotely through the blockade",
        summary="A programmer on chasing an internet connection and a power socket in "
        "Stepanakert during the blockade. Sent back for changes. In Russian.",
        narrator=NarratorEntry(
            FULL,
            "Artur",
            "Khachikyan",
            "Արթուր Խաչիկյան",
            birth_year=1991,
            occupation="Software developer",
            place_of_origin="Stepanakert",
        ),
        language="ru",
        text=text(
            """
            Я работал удалённо на ереванскую компанию, программистом. Когда начались перебои с
            интернетом, моя работа стала зависеть от того, в какой части города есть связь.

            Мы с друзьями нашли кафе, где был генератор и иногда появлялся интернет. Там
            собирались все, кто работал онлайн. Мы делили розетки по расписанию, как хлеб.

            Зарплату мне переводили, но купить на неё было почти нечего. Деньги потеряли смысл.
            Я отдавал их соседям, у которых не было никакого дохода, — это было единственное, что
            я мог сделать.

            В сентябре я уехал с ноутбуком и двумя рубашками. В первый день в Ереване я сидел в
            кафе, смотрел, как быстро грузятся страницы, и не мог поверить.
            """
        ),
        recorded_on=date(2024, 4, 22),
        recorded_precision=DAY,
        recording_place="Yerevan",
        period=(2022, 2023),
        places=("Stepanakert", "Yerevan"),
        subjects=("Lachin corridor blockade", "Fuel and energy shortages", "Work and livelihoods"),
        collection=BLOCKADE,
        interviewer="Karen Zakaryan",
        status=CHANGES_REQUESTED,
        access_level=AccessLevel.RESEARCHERS,
        consent=replace(RESEARCHERS_ONLY, form_language="ru"),
        review_comment="Please add when the internet cuts began, and ask the narrator whether "
        "the café may be identified.",
    ),
    TestimonyEntry(
        key="demo:040",
        title="Notes from a first conversation",
        summary="Draft: notes taken at a first meeting; the recorded interview has not taken "
        "place yet, and no consent has been given.",
        narrator=NarratorEntry(
            FULL,
            "Hrant",
            "Zohrabyan",
            "Հրանտ Զոհրաբյան",
            birth_year=1950,
            occupation="Retired mechanic",
            place_of_origin="Martuni",
        ),
        language="en",
        text=text(
            """
            These are notes from a first meeting, before the recorded interview. The narrator is
            from a village in the Martuni district and now lives with his daughter near Goris.

            He spoke about the spring of 1994, when he came back from the front and found his
            village half empty. He said he wants to talk about the people who rebuilt it, not
            about the war.

            He asked for time to decide whether his name may be used. He will decide after the
            recorded interview. Nothing here is to be published.
            """
        ),
        recorded_on=None,
        recorded_precision="",
        recording_place=None,
        period=(1994, 1994),
        places=("Martuni", "Goris"),
        subjects=("1988–1994 war", "Memory"),
        collection=FIRST_WAR,
        interviewer="Tatevik Melkumyan",
        status=DRAFT,
        access_level=AccessLevel.STAFF,
        consent=None,
    ),
)

# Vera Petrosyan comes first so that, on an empty database, her reference is TA-2023-0001.
DEMO_TESTIMONIES: tuple[TestimonyEntry, ...] = (VERA_PETROSYAN, *SYNTHETIC_TESTIMONIES)
