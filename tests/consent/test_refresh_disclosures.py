from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from archive.consent.models import StoredDisclosure
from archive.testimonies.models import Testimony
from tests.factories import make_live_testimony

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
