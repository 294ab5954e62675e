from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from archive.accounts.models import User
from archive.accounts.roles import Role
from tests.factories import make_user

# Fast hashing in tests: the real hasher is deliberately slow.
override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()


@pytest.fixture(autouse=True)
def private_storage(settings: Any, tmp_path: Path) -> Path:
    """Every test writes files into its own temporary private storage."""
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


# Personas: one of each kind of person who uses the archive.


@pytest.fixture
def contributor(db: None) -> User:
    return make_user(role=Role.CONTRIBUTOR, username="carine.contributor")


@pytest.fixture
def moderator(db: None) -> User:
    return make_user(role=Role.MODERATOR, username="mher.moderator")


@pytest.fixture
def archivist(db: None) -> User:
    return make_user(role=Role.ARCHIVIST, username="ani.archivist")


@pytest.fixture
def superuser(db: None) -> User:
    return make_user(username="sona.superuser", is_superuser=True, is_staff=True)


@pytest.fixture
def researcher(db: None) -> User:
    return make_user(username="ruben.researcher")


@pytest.fixture
def anonymous() -> Client:
    return Client()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
