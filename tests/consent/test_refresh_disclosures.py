from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from archive.accounts.audience import Audience
from archive.accounts.roles import Role
from archive.consent.disclosures import testimonies_for_policy, testimonies_for_results
from archive.consent.models import ConsentRecord, StoredDisclosure
from archive.consent.policy import disclosed_content, disclosure_for
from archive.search.indexing import check_index, rebuild_index
from archive.search.query import parse_query
from archive.search.searching import search
from archive.testimonies.models import Narrator, Testimony
from tests.factories import make_live_testimony, make_narrator, make_user

pytestmark = pytest.mark.django_db


def refresh() -> str:
    out = StringIO()
    call_command("refresh_disclosures", stdout=out)
    return out.getvalue()


def test_it_restores_stored_disclosures_that_a_bulk_write_left_behind():
    testimony = make_live_testimony()
    StoredDisclosure.objects.all().delete()
    assert not Testimony.objects.visible_to(AnonymousUser()).exists()
    assert refresh() == "1 stored disclosure(s) changed.\n"
    assert list(Testimony.objects.visible_to(AnonymousUser())) == [testimony]
    assert refresh() == "0 stored disclosure(s) changed.\n"


@pytest.mark.parametrize("load", [testimonies_for_policy, testimonies_for_results])
def test_the_policy_reads_nothing_more_than_testimonies_for_policy_loads(
    load, django_assert_num_queries
):
    """testimonies_for_policy loads only the consent fields the policy reads, and
    testimonies_for_results only the testimony, narrator and revision fields besides:
    computing a disclosure or the disclosed content must not fetch a deferred field."""
    plain = make_live_testimony(
        narrator=make_narrator(
            given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
        )
    )
    initial = make_live_testimony(
        narrator=make_narrator(
            given_name="Anahit",
            family_name="Sargsyan",
            attribution=Narrator.Attribution.GIVEN_NAME_INITIAL,
        )
    )
    pseudonymous = make_live_testimony(
        narrator=make_narrator(
            given_name="Aram",
            attribution=Narrator.Attribution.PSEUDONYM,
            pseudonym="The teacher",
        )
    )
    embargoed = make_live_testimony(consent={"embargo_until": date(2099, 1, 1)})
    private_text = make_live_testimony(consent={"allows_public_transcript": False})
    withdrawn = make_live_testimony()
    withdrawn.consent_records.update(
        withdrawn_at=timezone.now(),
        withdrawal_scope=ConsentRecord.WithdrawalScope.UNPUBLISH,
        withdrawal_recorded_by=make_user(role=Role.ARCHIVIST),
    )
    ids = [plain.pk, initial.pk, pseudonymous.pk, embargoed.pk, private_text.pk, withdrawn.pk]
    testimonies = list(load().filter(pk__in=ids))
    audiences = (Audience.PUBLIC, Audience.RESEARCHERS, Audience.STAFF)
    with django_assert_num_queries(0):
        found = {t.pk: disclosure_for(t) for t in testimonies}
        seen = {
            (testimony.pk, audience): disclosed_content(
                testimony, audience, disclosure=found[testimony.pk]
            )
            for testimony in testimonies
            for audience in audiences
        }
    # The same answers as from fully loaded testimonies.
    assert seen == {
        (testimony.pk, audience): disclosed_content(testimony, audience)
        for testimony in Testimony.objects.filter(pk__in=ids)
        for audience in audiences
    }
    names = {
        pk: content["narrator_name"]
        for (pk, audience), content in seen.items()
        if audience == Audience.PUBLIC and content is not None
    }
    assert names[plain.pk] == "Vera Petrosyan"
    assert names[initial.pk] == "Anahit S."
    assert names[pseudonymous.pk] == "The teacher"
    assert found[plain.pk].metadata == Audience.PUBLIC
    assert found[embargoed.pk].metadata == Audience.STAFF
    assert found[private_text.pk].transcripts == Audience.RESEARCHERS
    assert found[withdrawn.pk].metadata > Audience.PUBLIC


def test_the_search_follows_what_it_restores(search_index):
    """A write that bypassed the models narrowed a testimony (an embargo set in bulk): once
    the command has recomputed its disclosure, the search no longer counts it."""
    testimony = make_live_testimony(transcript="Quinces in the orchard.")
    rebuild_index()
    assert search(parse_query("quinces"), audience=Audience.PUBLIC).total == 1
    ConsentRecord.objects.filter(testimonies=testimony).update(embargo_until=date(2040, 1, 1))

    assert refresh() == "1 stored disclosure(s) changed.\n"

    assert search(parse_query("quinces"), audience=Audience.PUBLIC).total == 0
    assert check_index() == []
