from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "archive.accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib import admin

        from archive.accounts.two_factor import require_two_factor_in

        # Staff must confirm a one-time code to use the admin when STAFF_REQUIRE_TWO_FACTOR
        # is on (read per request, see two_factor.py).
        require_two_factor_in(admin.site)
