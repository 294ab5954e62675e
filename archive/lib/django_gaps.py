"""Strings that Django itself shows on the archive's pages (a language's name, the sign-up
and password forms' help and errors) and that Django's own Armenian catalogue lacks, has
only under an older wording, or leaves in English (Django 6.1: django/conf/locale/hy,
django/contrib/auth/locale/hy).

Never imported. It is here so that `makemessages` copies these strings into
archive/locale/<lang>/LC_MESSAGES/django.po, whose translations take precedence over
Django's own (LOCALE_PATHS come first); not under archive/locale/ itself, which
`makemessages` never reads. Each msgid must stay exactly as Django writes it
(curly apostrophes included). Drop an entry once Django's catalogue translates it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

LANGUAGE_NAMES = (gettext_noop("Armenian"),)

FORM_TEXTS = (
    gettext_noop("Email"),
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    gettext_noop(
        "Enter a valid username. This value may contain only letters, numbers, "
        "and @/./+/-/_ characters."
    ),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Null characters are not allowed."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
)
