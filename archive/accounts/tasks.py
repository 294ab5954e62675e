"""Mail sent to an address someone typed into a form (a password reset, the confirmation
link again). The request only hands the address to one of these tasks, whether or not an
account has it: looking it up and sending happen here, so neither the answer nor the time
it takes tells who has an account. With ARCHIVE_TASKS=immediate (the development default)
a task still runs within the request; production runs ARCHIVE_TASKS=database (README)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.tasks import task
from django.utils import translation

from archive.accounts.emails import send_email_confirmation
from archive.accounts.models import User


@task()
def send_password_reset(email: str, language: str) -> None:
    """Django's password reset mail to the active accounts with this address (none, for
    an address nobody has), with links to SITE_URL rather than to the request's host."""
    site = urlsplit(settings.SITE_URL)
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=site.netloc + site.path,
            use_https=site.scheme == "https",
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={"site_name": settings.SITE_NAME},
        )


@task()
def resend_email_confirmation(email: str, language: str) -> None:
    """The confirmation link again, to the accounts with this address still waiting."""
    waiting = User.objects.filter(email__iexact=email, awaiting_email_confirmation=True)
    with translation.override(language):
        for user_id in waiting.values_list("pk", flat=True):
            send_email_confirmation(user_id)
