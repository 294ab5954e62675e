"""Writing the access log of restricted material."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from archive.consent.models import ConsentRecord
from archive.lib.client_address import client_address
from archive.public.models import AccessRecord
from archive.testimonies.models import MediaAsset, Testimony

# Repeated opens of the same thing by the same person from the same address within this
# window are one record: a browser playing a recording asks again at every seek.
SAME_VISIT = timedelta(minutes=5)


def record_access(
    request: HttpRequest,
    resource: AccessRecord.Resource,
    *,
    testimony: Testimony | None = None,
    media_asset: MediaAsset | None = None,
    consent_record: ConsentRecord | None = None,
) -> AccessRecord:
    """Log that the person behind `request` opened something that is not public.

    Every request that returns content counts; only one made within SAME_VISIT of an
    identical record adds no new row. The IP address is the client's, behind proxies too
    (archive/lib/client_address.py).
    """
    user: Any = request.user
    what = {
        "user": user if user.is_authenticated else None,
        "resource": resource,
        "testimony": testimony,
        "media_asset": media_asset,
        "consent_record": consent_record,
        "ip_address": client_address(request),
    }
    recent = AccessRecord.objects.filter(at__gte=timezone.now() - SAME_VISIT, **what).first()
    return recent or AccessRecord.objects.create(**what)
