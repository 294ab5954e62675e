"""Staff roles: each is a Group holding exactly the permissions listed here.

The data migrations call `sync_role_groups`, so editing these lists and adding a migration
that calls it again is how a role changes. Only archivists (and superusers) may touch a
narrator's real identity or consent records.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models


class Role(models.TextChoices):
    CONTRIBUTOR = "Contributor"
    MODERATOR = "Moderator"
    ARCHIVIST = "Archivist"


def _crud(model: str, *actions: str) -> list[str]:
    app_label, model_name = model.split(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]


CATALOGUE_DRAFTING = [
    *_crud("testimonies.testimony", "view", "add", "change"),
    *_crud("testimonies.transcript", "view", "add", "change", "delete"),
    *_crud("testimonies.transcriptsegment", "view", "add", "change", "delete"),
    *_crud("testimonies.mediaasset", "view", "add", "change", "delete"),
    *_crud("testimonies.narrator", "view", "add", "change"),
    *_crud("testimonies.place", "view", "add", "change"),
    *_crud("testimonies.placename", "view", "add", "change", "delete"),
    *_crud("testimonies.subject", "view", "add", "change"),
    *_crud("testimonies.subjectlabel", "view", "add", "change", "delete"),
    *_crud("testimonies.collection", "view"),
    *_crud("publishing.review", "view"),
    *_crud("publishing.revision", "view"),
]

MODERATION = [
    *CATALOGUE_DRAFTING,
    *_crud("testimonies.collection", "add", "change"),
    "testimonies.review_testimony",
    "testimonies.publish_testimony",
    "testimonies.withdraw_testimony",
    *_crud("audit.auditentry", "view"),
]

ARCHIVAL_CARE = [
    *MODERATION,
    *_crud("testimonies.testimony", "delete"),
    *_crud("testimonies.narrator", "delete"),
    *_crud("testimonies.place", "delete"),
    *_crud("testimonies.subject", "delete"),
    *_crud("testimonies.collection", "delete"),
    *_crud("testimonies.narratoridentity", "view", "add", "change", "delete"),
    *_crud("consent.consentrecord", "view", "add", "change", "delete"),
    "consent.verify_consentrecord",
    "consent.withdraw_consentrecord",
    "publishing.override_pseudonym_guard",
    *_crud("public.accessrecord", "view"),
    *_crud("accounts.accessrequest", "view"),
    "accounts.decide_accessrequest",
    *_crud("otp_totp.totpdevice", "view"),
    *_crud("public.concern", "view", "change"),
    "public.handle_concern",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CONTRIBUTOR: CATALOGUE_DRAFTING,
    Role.MODERATOR: MODERATION,
    Role.ARCHIVIST: ARCHIVAL_CARE,
}


def _model_created_later(apps: Any, app_label: str, codename: str) -> bool:
    """Whether the permission's model ("view_accessrequest" -> accessrequest) exists in the
    code but not yet at this point of the migrations."""
    from django.apps import apps as current_apps

    model_name = codename.partition("_")[2]

    def has_model(registry: Any) -> bool:
        try:
            registry.get_model(app_label, model_name)
        except LookupError:
            return False
        return True

    return not has_model(apps) and has_model(current_apps)


def _permissions(apps: Any, names: Iterable[str]) -> list[Any]:
    Permission = apps.get_model("auth", "Permission")
    wanted = {tuple(name.split(".")) for name in names}
    found = [
        permission
        for permission in Permission.objects.select_related("content_type").filter(
            codename__in={codename for _, codename in wanted}
        )
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    # An app or model that a later migration creates has no permissions yet: the migration
    # that syncs the roles again after it grants them. Anything else missing is a typo.
    created = {config.label for config in apps.get_app_configs() if list(config.get_models())}
    missing = {
        (app_label, codename)
        for app_label, codename in missing
        if app_label in created and not _model_created_later(apps, app_label, codename)
    }
    if missing:
        raise LookupError(f"Role permissions that do not exist: {sorted(missing)}")
    return found


def sync_role_groups(apps: Any, schema_editor: Any = None) -> None:
    """Create the role groups and set their permissions (usable as a RunPython operation)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create them now so the
    # groups can reference them within this migration run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_permissions(apps, names))
