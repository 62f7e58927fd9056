"""Content-addressed storage in an S3-compatible object store (AWS S3, SeaweedFS, MinIO, Ceph...).

The same interface as :class:`core.storage.LocalStorage`, on a bucket, under a prefix per storage::

    <prefix>ab/cd/abcd…(64 hex digits)    stored files, named by the SHA-256 of their content
    <prefix>tmp/<random>                   named objects being uploaded (``put_file``)
    <prefix><name>                         named objects: export archives, backups (``put_file``)

Writes are atomic. A stored file is hashed first (a stream is spooled to a local temporary file while it is
hashed), then written with one conditional ``PutObject`` (``If-None-Match: *``): the object appears whole or not
at all, and when two writers store the same content the second is refused and keeps the first's identical copy.
A named object is uploaded to a temporary key (multipart if large), then copied onto its name and the temporary
key deleted: a reader sees the old object or the new one, never a part.

Nothing in the bucket is public: the bucket has no public policy and every object is written private. Files reach
jurors and the public through the app (:meth:`open` streams the object), or through :meth:`presigned_url`, a
link valid for a few minutes whose key is a content hash, so it names no one.

Locks between writers and deleters (see ``core.file_lifecycle``) are file locks under ``lock_root`` (one machine,
SQLite) or PostgreSQL advisory locks (several machines). Exports need files on disk (Pillow, fpdf): they read
them through :meth:`local_copy`, a cache under ``cache_root`` whose copies leave with the object and after
``CACHE_MAX_AGE_S``.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from core.storage import CHUNK_SIZE, validate_key
from core.storage_locks import StripeLocks

SPOOL_BYTES = 1024 * 1024  # a stream larger than this is spooled to disk while it is hashed
PRESIGN_MAX_S = 300
CACHE_MAX_AGE_S = 3600.0
_MISSING = ("404", "NoSuchKey", "NotFound")


def parse_storage_url(url: str) -> tuple[str, str]:
    """``s3://bucket[/prefix]`` -> (bucket, prefix ending in "/" or empty); ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"STORAGE_URL must look like s3://bucket or s3://bucket/prefix, not {url!r}")
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


def make_client(endpoint_url: str | None = None, region: str | None = None, access_key: str | None = None,
                secret_key: str | None = None):
    """A boto3 S3 client. Without keys, boto3's own chain applies (AWS_ACCESS_KEY_ID..., a profile, a role)."""
    import boto3
    from botocore.config import Config

    config = Config(s3={"addressing_style": "path" if endpoint_url else "auto"}, signature_version="s3v4",
                    retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=60)
    return boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None,
                        aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None,
                        config=config)


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


class ObjectReader:
    """A stored object being read: ``read``, ``close``, a context manager, and its ``size`` in bytes."""

    def __init__(self, body, size: int) -> None:
        self._body, self.size = body, size

    def read(self, amount: int | None = -1) -> bytes:
        return self._body.read(None if amount is None or amount < 0 else amount)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._body.close()

    def __enter__(self) -> ObjectReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class S3Storage(StripeLocks):
    """:class:`core.storage.Storage` in ``bucket`` under ``prefix`` (e.g. "files/")."""

    def __init__(self, client, bucket: str, prefix: str, *, lock_root: Path | str, cache_root: Path | str,
                 tmp_root: Path | str | None = None) -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix
        self.lock_root = Path(lock_root)
        self.cache_root = Path(cache_root)
        self.tmp_root = Path(tmp_root) if tmp_root else None

    def __repr__(self) -> str:
        return f"S3Storage('s3://{self.bucket}/{self.prefix}')"

    # -- names ----------------------------------------------------------------

    def object_key(self, key: str) -> str:
        key = validate_key(key)
        return f"{self.prefix}{key[:2]}/{key[2:4]}/{key}"

    def _named(self, name: str) -> str:
        if not name or name.startswith("/") or ".." in name.split("/") or name.split("/")[0] == "tmp":
            raise ValueError(f"invalid object name: {name!r}")
        return f"{self.prefix}{name}"

    def path(self, key: str) -> Path:
        validate_key(key)
        raise NotImplementedError("objects in S3 have no path: use open(), local_copy() or presigned_url()")

    # -- writing --------------------------------------------------------------

    def put(self, data: bytes | bytearray | memoryview | BinaryIO, *, pins: list | None = None) -> str:
        """Store ``data`` and return its key (see the module's docstring); ``pins`` as in ``LocalStorage.put``."""
        if isinstance(data, str):
            raise TypeError("put() takes bytes or a binary file object, not str")
        if isinstance(data, (bytes, bytearray, memoryview)):
            body: BinaryIO | bytes = bytes(data)
            key, size = hashlib.sha256(body).hexdigest(), len(body)
            return self._store(key, size, body, pins)
        if not hasattr(data, "read"):
            raise TypeError(f"put() takes bytes or a binary file object, not {type(data).__name__}")
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, dir=self.tmp_root) as spool:
            digest, size = hashlib.sha256(), 0
            while chunk := data.read(CHUNK_SIZE):
                if isinstance(chunk, str):
                    raise TypeError("put() needs a binary file object (read() returned str)")
                digest.update(chunk)
                spool.write(chunk)
                size += len(chunk)
            if chunk is None:
                raise BlockingIOError("put() needs a blocking file object")
            spool.seek(0)
            return self._store(digest.hexdigest(), size, spool, pins)

    def _store(self, key: str, size: int, body, pins: list | None) -> str:
        if pins is not None:
            pins.append(self.pin(key))
        name = self.object_key(key)
        head = self._head(name)
        if head is not None and head["ContentLength"] == size and self._renew(name):
            return key
        # No object: write only if there is still none (a second writer of the same content is refused and
        # keeps the first's identical copy). A damaged object (wrong size) is replaced.
        condition = {"IfNoneMatch": "*"} if head is None else {}
        try:
            self.client.put_object(Bucket=self.bucket, Key=name, Body=body, ContentLength=size,
                                   ContentType="application/octet-stream", **condition)
        except Exception as exc:
            if _error_code(exc) not in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                raise
        return key

    def _renew(self, name: str) -> bool:
        """Renew the age of an object that holds the content (its name is its hash), by an in-place copy:
        ``cleanup-files`` spares young orphans, and this one is about to be referenced again."""
        try:
            self.client.copy_object(Bucket=self.bucket, Key=name, CopySource={"Bucket": self.bucket, "Key": name},
                                    MetadataDirective="REPLACE", ContentType="application/octet-stream")
        except Exception as exc:
            if _error_code(exc) in _MISSING:
                return False  # deleted meanwhile: write it again
            raise
        return True

    def _head(self, name: str) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=name)
        except Exception as exc:
            if _error_code(exc) in _MISSING:
                return None
            raise

    # -- reading --------------------------------------------------------------

    def open(self, key: str) -> ObjectReader:
        """Stream the object; raises :class:`FileNotFoundError` if missing."""
        return self._open(self.object_key(key))

    def _open(self, name: str) -> ObjectReader:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=name)
        except Exception as exc:
            if _error_code(exc) in _MISSING:
                raise FileNotFoundError(name) from None
            raise
        return ObjectReader(response["Body"], int(response["ContentLength"]))

    def exists(self, key: str) -> bool:
        return self._head(self.object_key(key)) is not None

    def size(self, key: str) -> int:
        head = self._head(self.object_key(key))
        if head is None:
            raise FileNotFoundError(key)
        return int(head["ContentLength"])

    def modified(self, key: str) -> float:
        """When the object was last written or renewed (seconds since the epoch)."""
        head = self._head(self.object_key(key))
        if head is None:
            raise FileNotFoundError(key)
        return head["LastModified"].timestamp()

    def keys(self) -> Iterator[str]:
        """Stored keys in sorted order (S3 lists keys in UTF-8 order; named objects are not keys)."""
        for item in self._list(self.prefix):
            rest = item["Key"][len(self.prefix):].split("/")
            if len(rest) == 3 and rest[0] == rest[2][:2] and rest[1] == rest[2][2:4]:
                try:
                    yield validate_key(rest[2])
                except ValueError:
                    continue

    def _list(self, prefix: str) -> Iterator[dict]:
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            yield from page.get("Contents", [])

    def verify(self, key: str) -> bool:
        """Re-hash the stored object: ``False`` if missing or corrupted."""
        try:
            with self.open(key) as stream:
                digest = hashlib.sha256()
                while chunk := stream.read(CHUNK_SIZE):
                    digest.update(chunk)
        except FileNotFoundError:
            return False
        return digest.hexdigest() == key

    def presigned_url(self, key: str, expires_s: int = 60, *, mimetype: str | None = None) -> str:
        """A GET link to the object valid for ``expires_s`` seconds (at most five minutes). It carries the
        content hash and a signature, no name: set no download name here, the app's own links do that."""
        if not 0 < expires_s <= PRESIGN_MAX_S:
            raise ValueError(f"a presigned link lives 1 to {PRESIGN_MAX_S} seconds, not {expires_s}")
        params = {"Bucket": self.bucket, "Key": self.object_key(key)}
        if mimetype:
            params["ResponseContentType"] = mimetype
        return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_s)

    def local_copy(self, key: str) -> Path:
        """A file on this machine with the object's content (for Pillow and fpdf), from a cache that is
        written atomically; raises :class:`FileNotFoundError` if the object is missing."""
        target = self.cache_root / validate_key(key)
        if target.is_file():
            os.utime(target)
            return target
        self.cache_root.mkdir(parents=True, exist_ok=True)
        self.prune_cache()
        fd, tmp = tempfile.mkstemp(dir=self.cache_root, prefix=".get-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out, self.open(key) as source:
                while chunk := source.read(CHUNK_SIZE):
                    out.write(chunk)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return target

    def prune_cache(self, older_than_s: float = CACHE_MAX_AGE_S) -> int:
        """Remove local copies not used for ``older_than_s`` seconds; return how many."""
        cutoff, removed = time.time() - older_than_s, 0
        try:
            entries = list(os.scandir(self.cache_root))
        except FileNotFoundError:
            return 0
        for entry in entries:
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    # -- named objects (export archives, backups) ------------------------------

    def put_file(self, name: str, source: Path | str) -> None:
        """Upload a local file as ``name``: to a temporary key first, then copied onto its name."""
        final, temporary = self._named(name), f"{self.prefix}tmp/{uuid.uuid4().hex}"
        try:
            self.client.upload_file(str(source), self.bucket, temporary)
            self.client.copy_object(Bucket=self.bucket, Key=final, CopySource={"Bucket": self.bucket,
                                                                               "Key": temporary})
        finally:
            self.client.delete_object(Bucket=self.bucket, Key=temporary)

    def open_file(self, name: str) -> ObjectReader:
        return self._open(self._named(name))

    def file_exists(self, name: str) -> bool:
        return self._head(self._named(name)) is not None

    def delete_file(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._named(name))

    # -- removal --------------------------------------------------------------

    def delete(self, key: str) -> None:
        """Remove the object (a missing key is a no-op) and this machine's local copy of it."""
        self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))
        (self.cache_root / key).unlink(missing_ok=True)

    def cleanup_temp(self, older_than_seconds: float = 3600.0) -> int:
        """Remove temporary objects left by crashed uploads, and stale local copies; return how many objects."""
        cutoff, removed = time.time() - older_than_seconds, 0
        for item in list(self._list(f"{self.prefix}tmp/")):
            modified: datetime = item["LastModified"]
            if modified.timestamp() < cutoff:
                self.client.delete_object(Bucket=self.bucket, Key=item["Key"])
                removed += 1
        self.prune_cache(older_than_seconds)
        return removed
