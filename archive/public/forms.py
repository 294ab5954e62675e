from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from archive.search.searching import FILTER_FIELDS


class SearchForm(forms.Form):
    """The search page's GET parameters: every result page is a link that can be shared."""

    q = forms.CharField(required=False, label=_("Search the testimonies"))
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("relevance", _("Relevance")),
            ("date", _("Recording date")),
            ("title", _("Title")),
        ],
    )
    recorded_from = forms.DateField(
        required=False, label=_("Recorded from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    recorded_to = forms.DateField(
        required=False, label=_("to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("recorded_from"), cleaned.get("recorded_to")
        if start and end and start > end:
            self.add_error("recorded_to", _("The end of the date range is before its start."))
        return cleaned


def chosen_filters(params: QueryDict) -> dict[str, list[str]]:
    """The facet values chosen in the query string; anything but a short token of letters,
    digits and hyphens is ignored."""
    chosen: dict[str, list[str]] = {}
    for name in FILTER_FIELDS:
        values = [
            v
            for v in params.getlist(name)
            if 0 < len(v) <= 50 and v.isascii() and v.replace("-", "").isalnum()
        ]
        if values:
            chosen[name] = sorted(set(values))[:20]
    return chosen
