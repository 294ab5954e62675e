"""Plain helpers over Django storages: the S3 configuration, reading a stored file in
chunks, deleting it everywhere, and presigned links.

django-storages and boto3 are imported only where S3 is in use, so a local-files
deployment never pays for loading them.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only for annotations: settings.py imports this module before Django is set up.
    from django.core.files.storage import Storage
    from django.db.models.fields.files import FieldFile
    from storages.backends.s3 import S3Storage

READ_CHUNK_SIZE = 1024 * 1024
# Past this size a file opened from S3 spools to a temporary file instead of memory.
S3_SPOOL_BYTES = 8 * 1024 * 1024
S3_ENCRYPTIONS = ("AES256", "aws:kms", "none")
S3_ADDRESSING_STYLES = ("auto", "path", "virtual")


def s3_storage_settings(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    addressing_style: str | None = None,
    encryption: str = "AES256",
    url_seconds: int = 300,
) -> dict[str, Any]:
    """The STORAGES entry for django-storages' S3 backend, private and write-once.

    - no ACL is sent: objects stay private to the bucket owner (and work on buckets with
      ACLs disabled, AWS's default since 2023);
    - file_overwrite off: a name already taken gets another, nothing is overwritten;
    - server-side encryption (AES256 or aws:kms; "none" for servers without a key
      service, such as a MinIO without KMS);
    - path-style addressing by default when an endpoint is given (MinIO, Ceph and most
      S3-compatible servers need it);
    - checksums only "when_required": boto3 >= 1.36 otherwise adds CRC32 trailers that
      older MinIO and Ceph RGW refuse;
    - presigned links valid for `url_seconds`.
    """
    from botocore.config import Config

    if addressing_style is None:
        addressing_style = "path" if endpoint_url else "auto"
    object_parameters = {} if encryption == "none" else {"ServerSideEncryption": encryption}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": url_seconds,
            "object_parameters": object_parameters,
            "max_memory_size": S3_SPOOL_BYTES,
            "client_config": Config(
                s3={"addressing_style": addressing_style},
                signature_version="s3v4",
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                retries={"mode": "standard", "max_attempts": 3},
            ),
        },
    }


def is_s3(storage: "Storage") -> bool:
    # By module rather than isinstance, so that local deployments never import boto3; and
    # through __class__, which default_storage (a lazy proxy) forwards to what it wraps.
    return storage.__class__.__module__.startswith("storages.backends.s3")


def is_local(storage: "Storage") -> bool:
    from django.core.files.storage import FileSystemStorage

    return isinstance(storage, FileSystemStorage)


def _s3_key(storage: "S3Storage", name: str) -> str:
    from storages.utils import clean_name, safe_join

    return str(safe_join(storage.location, clean_name(name)))


def iter_stored_chunks(file: "FieldFile", chunk_size: int = READ_CHUNK_SIZE) -> Iterator[bytes]:
    """The stored bytes of a file, chunk by chunk, never all in memory.

    Raises FileNotFoundError when the storage does not have it. (S3File would download
    the whole object before the first read, so S3 is read as a stream of its own.)
    """
    storage, name = file.storage, file.name
    if not name:
        raise FileNotFoundError("The field holds no file.")
    if is_s3(storage):
        from botocore.exceptions import ClientError

        s3: S3Storage = storage
        client = s3.connection.meta.client
        try:
            body = client.get_object(Bucket=s3.bucket_name, Key=_s3_key(s3, name))["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(name) from None
            raise
        try:
            yield from body.iter_chunks(chunk_size)
        finally:
            body.close()
        return
    with storage.open(name, "rb") as stored:
        yield from stored.chunks(chunk_size)


def _delete_every_s3_version(storage: "S3Storage", name: str) -> None:
    """Delete every version and delete marker of one key: on a versioned bucket a plain
    DELETE only hides the object behind a marker, and an erasure must leave nothing."""
    from botocore.exceptions import ClientError

    client = storage.connection.meta.client
    key = _s3_key(storage, name)
    paginator = client.get_paginator("list_object_versions")
    try:
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=key):
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                if entry["Key"] == key:  # Prefix also matches longer keys
                    client.delete_object(
                        Bucket=storage.bucket_name, Key=key, VersionId=entry["VersionId"]
                    )
    except ClientError as error:
        # A few S3-compatible servers have no versioning API; there a plain delete is all.
        if error.response.get("Error", {}).get("Code") not in ("NotImplemented", "501"):
            raise
        client.delete_object(Bucket=storage.bucket_name, Key=key)
    # Unversioned buckets list their objects with the version id "null", so the loop has
    # deleted them too; a plain DELETE here would add a delete marker on a versioned one.


def delete_stored_file(file: "FieldFile") -> None:
    """Remove a file from its storage, on S3 with every version, and clear the field.

    Idempotent: a file already gone is not an error. The caller saves the instance if it
    is to outlive this. Used by every path that deletes files (erasure, the admin).
    """
    name = file.name
    if name:
        storage = file.storage
        if is_s3(storage):
            _delete_every_s3_version(storage, name)
        else:
            storage.delete(name)
    file.name = None


def presigned_url(
    file: "FieldFile", *, content_type: str, content_disposition: str, seconds: int
) -> str:
    """A short-lived link to an S3 object that answers with our type and disposition (S3
    serves whatever type the object was stored with otherwise)."""
    # django-storages' url() takes these two; Django's base Storage.url does not.
    storage: Any = file.storage
    return str(
        storage.url(
            file.name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition,
            },
            expire=seconds,
        )
    )
