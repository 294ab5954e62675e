"""sitemap.xml: the testimonies whose metadata the public may see, and nothing else.

/sitemap.xml is an index of the pages of /sitemap-testimonies.xml (a sitemap holds at most
PublicTestimonySitemap.limit addresses; without an index, crawlers saw only the first page).
"""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from archive.accounts.audience import Audience
from archive.consent.disclosures import testimonies_for_results
from archive.consent.policy import disclosure_for
from archive.testimonies.models import Testimony, TestimonyQuerySet


class PolicyCheckedPages:
    """The sitemap's candidates, read a page at a time: the policy's stored answer narrows
    them in the database, and the policy itself is asked again for each testimony of the
    page read, so a change of a moment ago counts. (Asking it of every testimony for every
    page took twenty seconds a request at 100,000 testimonies.)"""

    def __init__(self, candidates: TestimonyQuerySet) -> None:
        self.candidates = candidates

    def count(self) -> int:  # what Django's Paginator asks for the number of pages
        return self.candidates.count()

    def __getitem__(self, window: slice) -> list[Testimony]:
        return [
            testimony
            for testimony in self.candidates[window]
            if disclosure_for(testimony).allows("metadata", Audience.PUBLIC)
        ]


class PublicTestimonySitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self) -> PolicyCheckedPages:  # type: ignore[override]
        return PolicyCheckedPages(
            testimonies_for_results("published_at")
            .visible_to(AnonymousUser())
            .live()
            .order_by("reference")
        )

    def get_latest_lastmod(self) -> datetime | None:
        # (Django's own reads every item for it.)
        latest: datetime | None = self.items().candidates.aggregate(latest=Max("published_at"))[
            "latest"
        ]
        return latest

    def location(self, item: Testimony) -> str:
        return reverse("testimony", args=[item.reference])

    def lastmod(self, item: Testimony) -> datetime | None:
        return item.published_at


SITEMAPS = {"testimonies": PublicTestimonySitemap}
