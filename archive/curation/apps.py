from django.apps import AppConfig


class CurationConfig(AppConfig):
    """The staff's workspace in the Django admin: the pages of the catalogue, consent and the
    workflow, whose buttons call the services of the apps below (as pretix's control sits
    above pretix.base). No models of its own."""

    name = "archive.curation"
    verbose_name = "Curation"
