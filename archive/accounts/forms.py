"""Forms of the researchers' account pages. Views pass their cleaned data to services."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.accounts.models import AccessRequest, User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to this address to confirm it is yours."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "first_name", "last_name")

    def clean_username(self) -> str:
        # Refused before the check for a taken name, which would otherwise tell anyone
        # which e-mail addresses hold an account here under that name (the address field
        # itself never tells). A name is a handle its owner picks: saying it is taken is
        # what lets them pick another, and sign-ups are rate-limited.
        username = self.cleaned_data.get("username") or ""
        if "@" in username:
            raise ValidationError(
                _("Choose a user name that is not an e-mail address (without “@”)."),
                code="email_as_username",
            )
        cleaned: str = super().clean_username()
        return cleaned

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        return email

    def validate_constraints(self) -> None:
        # An address that has an account is not refused here (nor by the model's unique
        # constraint): saying so would tell anyone who has an account. services.sign_up
        # e-mails the owner instead.
        checked = {name for name in self.fields if name not in self.errors} - {"email"}
        unchecked = {field.name for field in User._meta.get_fields()} - checked
        try:
            self.instance.validate_constraints(exclude=unchecked)
        except ValidationError as error:
            self.add_error(None, error)


class LoginForm(AuthenticationForm):
    """Django's login form, with a clear word for an account whose address is not
    confirmed yet (only to someone who knows its password)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "unconfirmed": _(
            "Confirm your e-mail address first: open the link we sent you when you signed up. "
            "You can ask for a new link below."
        ),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as error:
            username = self.cleaned_data.get("username")
            password = self.cleaned_data.get("password")
            if username and password and error.code == "invalid_login":
                waiting = User.objects.filter(
                    username=username, awaiting_email_confirmation=True
                ).first()
                if waiting is not None and waiting.check_password(password):
                    raise ValidationError(
                        self.error_messages["unconfirmed"], code="unconfirmed"
                    ) from error
            raise


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class AccessRequestForm(forms.ModelForm):
    accept_terms = forms.BooleanField(
        label=_("I have read the terms of use and accept them"),
        required=True,
        error_messages={"required": _("Accept the terms of use to request access.")},
    )

    class Meta:
        model = AccessRequest
        fields = ["affiliation", "purpose", "requested_until"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 6}),
            "requested_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_requested_until(self) -> date | None:
        day: date | None = self.cleaned_data.get("requested_until")
        if day is not None and day < timezone.localdate():
            raise ValidationError(_("The end date cannot be in the past."), code="past")
        return day


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]
