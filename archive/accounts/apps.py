from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "archive.accounts"
    verbose_name = "Accounts and roles"
