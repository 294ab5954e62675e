"""sitemap.xml: the testimonies whose metadata the public may see, and nothing else."""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from archive.consent.disclosures import testimonies_for_policy
from archive.consent.policy import Audience, disclosure_for
from archive.testimonies.models import Testimony


class PublicTestimonySitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self) -> list[Testimony]:
        # The stored disclosure narrows the candidates in the database; the policy itself
        # is asked again for each, so a change of a moment ago counts.
        candidates = (
            testimonies_for_policy().visible_to(AnonymousUser()).live().order_by("reference")
        )
        return [
            testimony
            for testimony in candidates
            if disclosure_for(testimony).allows("metadata", Audience.PUBLIC)
        ]

    def location(self, item: Testimony) -> str:
        return reverse("testimony", args=[item.reference])

    def lastmod(self, item: Testimony) -> datetime | None:
        return item.published_at


SITEMAPS = {"testimonies": PublicTestimonySitemap}
