"""The Atom feed of recent publications, from what the public may see only."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from archive.accounts.audience import Audience
from archive.consent.disclosures import testimonies_for_policy
from archive.consent.policy import disclosed_content
from archive.public.citations import permalink
from archive.testimonies.models import Testimony
from archive.testimonies.snapshot_types import DisclosedContent

FEED_LENGTH = 30


class RecentTestimoniesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Recently published testimonies")
    subtitle = _("Personal accounts newly published in the archive, as the public may see them.")

    def link(self) -> str:
        return reverse("home")

    def feed_url(self) -> str:
        return reverse("testimony_feed")

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self) -> list[tuple[Testimony, DisclosedContent]]:
        candidates = (
            testimonies_for_policy()
            .visible_to(AnonymousUser())
            .live()
            .latest_published(FEED_LENGTH)
        )
        # The feed is the same for everyone, so it is always built for the public.
        entries = [(t, disclosed_content(t, Audience.PUBLIC)) for t in candidates]
        return [(t, content) for t, content in entries if content is not None]

    def item_title(self, item: tuple[Testimony, DisclosedContent]) -> str:
        return str(item[1]["title"])

    def item_description(self, item: tuple[Testimony, DisclosedContent]) -> str:
        return str(item[1]["summary"])

    def item_link(self, item: tuple[Testimony, DisclosedContent]) -> str:
        return reverse("testimony", args=[item[0].reference])

    def item_guid(self, item: tuple[Testimony, DisclosedContent]) -> str:
        return permalink(item[0].reference)

    def item_author_name(self, item: tuple[Testimony, DisclosedContent]) -> str:
        return str(item[1]["narrator_name"])

    def item_pubdate(self, item: tuple[Testimony, DisclosedContent]) -> datetime | None:
        return item[0].published_at

    def item_updateddate(self, item: tuple[Testimony, DisclosedContent]) -> datetime | None:
        return item[0].published_at
