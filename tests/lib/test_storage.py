"""Plain storage helpers (archive/lib/storage.py) on local files; S3 is exercised against
a real endpoint in tests/testimonies/test_s3_storage.py."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from archive.lib.storage import (
    delete_stored_file,
    is_local,
    is_s3,
    iter_stored_chunks,
    s3_storage_settings,
)
from tests.factories import make_media, make_testimony

pytestmark = pytest.mark.django_db


def test_it_deletes_a_local_file_and_clears_the_field_and_may_do_it_again():
    asset = make_media(testimony=make_testimony())
    name = str(asset.file.name)
    file = asset.file
    delete_stored_file(file)
    assert not default_storage.exists(name)
    assert not file
    delete_stored_file(file)  # nothing left: no error


def test_it_reads_a_stored_file_in_chunks_and_says_when_it_is_gone():
    content = bytes(range(256)) * 10
    asset = make_media(testimony=make_testimony(), content=content)
    chunks = list(iter_stored_chunks(asset.file, chunk_size=1000))
    assert [len(chunk) for chunk in chunks] == [1000, 1000, 560]
    assert b"".join(chunks) == content
    default_storage.delete(str(asset.file.name))
    with pytest.raises(FileNotFoundError):
        list(iter_stored_chunks(asset.file))


def test_it_tells_local_storage_from_s3_through_the_lazy_default():
    default_storage.save("probe.txt", ContentFile(b"x"))  # default_storage is a lazy proxy
    assert is_local(default_storage)
    assert not is_s3(default_storage)


def test_it_configures_s3_private_write_once_and_compatible():
    options = s3_storage_settings(bucket="media", endpoint_url="http://minio:9000")["OPTIONS"]
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 300
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    config = options["client_config"]
    assert config.s3 == {"addressing_style": "path"}
    assert config.request_checksum_calculation == "when_required"
    assert config.response_checksum_validation == "when_required"
    on_aws = s3_storage_settings(bucket="media", encryption="none")["OPTIONS"]
    assert on_aws["object_parameters"] == {}
    assert on_aws["client_config"].s3 == {"addressing_style": "auto"}
