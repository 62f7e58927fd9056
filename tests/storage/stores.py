"""The storage tests' stores and what they read of them: an S3 store on the test server, the temporary files
or objects a write left behind, every object, and a file overwritten behind the store's back."""
from __future__ import annotations

from core.s3_storage import S3Storage, make_client
from core.storage import LocalStorage
from tests.s3_server import ACCESS_KEY, REGION, SECRET_KEY


def s3_storage(weed, tmp_path, bucket: str | None = None, prefix: str = "files/") -> S3Storage:
    client = make_client(weed.endpoint, REGION, ACCESS_KEY, SECRET_KEY)
    return S3Storage(client, bucket or weed.new_bucket(), prefix, lock_root=tmp_path / "locks",
                     cache_root=tmp_path / "cache")


def leftovers(store) -> list[str]:
    """Temporary files or objects a write left behind."""
    if isinstance(store, LocalStorage):
        return sorted(p.name for p in store.tmp_dir.iterdir())
    listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=f"{store.prefix}tmp/")
    return sorted(item["Key"] for item in listed.get("Contents", []))


def objects(store) -> list[str]:
    """Every stored file or object, by its path or object key (locks and temporary files aside)."""
    if isinstance(store, LocalStorage):
        return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*")
                      if p.is_file() and p.parts[len(store.root.parts)] not in ("tmp", "locks"))
    listed = store.client.list_objects_v2(Bucket=store.bucket)
    return sorted(item["Key"][len(store.prefix):] for item in listed.get("Contents", []))


def overwrite(store, key: str, data: bytes) -> None:
    """Replace a stored file's bytes behind the storage's back (corruption)."""
    if isinstance(store, LocalStorage):
        store.path(key).write_bytes(data)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.object_key(key), Body=data)
