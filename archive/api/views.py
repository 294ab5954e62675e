"""Pages around the API: the token page, and a JSON 404 for any /api/ address the API does
not have (so nothing under /api/ answers with an HTML page)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from archive.accounts.access import signed_in_user, without_staff_reach
from archive.accounts.audience import Audience, audience_of
from archive.accounts.models import User
from archive.api.models import ApiToken
from archive.api.tokens import TokenError, create_token, revoke_token
from archive.lib.arguments import strict_int

VALIDITY_CHOICES = [
    ("30", gettext_lazy("30 days")),
    ("90", gettext_lazy("90 days")),
    ("365", gettext_lazy("one year")),
    ("", gettext_lazy("until I revoke it")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=gettext_lazy("Name"),
        help_text=gettext_lazy("What the token is for, e.g. “thesis scripts”."),
    )
    valid_for = forms.ChoiceField(
        choices=VALIDITY_CHOICES, initial="90", required=False, label=gettext_lazy("Valid for")
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke your API tokens. A new token's value is shown in this one
    response and never again (only its hash is stored)."""
    form = TokenForm()
    user_pk = int(request.user.pk or 0)
    new_token: str | None = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token = get_object_or_404(
                ApiToken, pk=strict_int(request.POST.get("token")) or 0, user_id=request.user.pk
            )
            try:
                revoke_token(token, actor=signed_in_user(request))
            except TokenError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("The token “%(name)s” no longer works.") % {"name": token.name}
                )
            return redirect("api_tokens")
        form = TokenForm(request.POST)
        if form.is_valid():
            valid_for = form.cleaned_data["valid_for"]
            try:
                _token, new_token = create_token(
                    actor=signed_in_user(request),
                    name=form.cleaned_data["name"],
                    valid_days=int(valid_for) if valid_for else None,
                )
            except TokenError as error:
                form.add_error(None, str(error))
            else:
                form = TokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user_id=user_pk),
        # What a token of this account reaches: never staff (archive/api/tokens.py).
        "sees_research_material": audience_of(without_staff_reach(User.objects.get(pk=user_pk)))
        >= Audience.RESEARCHERS,
    }
    response = render(request, "api/tokens.html", context)
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse({"message": "Not found."}, status=404)
