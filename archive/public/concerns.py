"""The public form a narrator (or someone for them) uses to ask for removal or correction."""

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.public.models import Concern

MESSAGE_MAX_LENGTH = 4000


class ConcernForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like us to do?"),
        choices=Concern.Kind.choices,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Tell us what concerns you"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What should be removed or corrected, and why, if you wish to say."),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=254,
        required=False,
        help_text=_("An e-mail address or telephone number, so an archivist can answer you."),
    )
    # A honeypot: hidden from people (CSS and aria-hidden), filled in by robots that fill in
    # every field. A filled one is thanked and dropped, so the robot learns nothing.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
