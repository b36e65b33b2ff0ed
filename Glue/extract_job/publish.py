"""Publishing one month to the S3 extract store (docs/extract-store.md, "Publishing a month").

The consumer (SFTP) sees only ``bank_name=...``; a run must therefore never leave a partial or
temporary object there, and a run that fails before the switch must leave the month exactly as
it was. The protocol:

1. the files are rendered and token-checked before this module is called;
2. ``put`` each file under ``_staging/<run_id>/`` and read it back (size and SHA-256);
3. server-side copy each staged object to its final key (each key switches atomically from one
   complete object to the other);
4. delete objects of **this month only** under ``bank_name=*/year=YYYY/month=MM/`` that the new
   set does not contain;
5. write ``_manifests/.../runs/<run_id>.json``, then ``manifest.json``;
6. delete ``_staging/<run_id>/`` (also when a step failed).

S3 has no multi-key transaction: a failure inside steps 3-4 can leave some keys switched (each
file is complete) while ``manifest.json`` still describes the previous run, which makes the
state detectable; the job fails non-zero and a re-run converges to the same bytes.
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Optional, Protocol, Sequence

from botocore.exceptions import BotoCoreError, ClientError

from . import ExtractJobError
from .keys import month_folder_suffix
from .manifest import manifest_bytes, manifest_keys
from .month_files import RenderedFile
from .months import ExtractMonth

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json"
BANK_FOLDER_PREFIX = "bank_name="
STAGING_FOLDER = "_staging"

#: Steps reported to a ``PublishHook`` after they complete.
STEP_STAGED = "staged"
STEP_COPIED = "copied"
STEP_STALE_REMOVED = "stale_removed"
STEP_MANIFESTS_WRITTEN = "manifests_written"


class PublishError(ExtractJobError):
    """A publishing step failed; the message names the month and the step."""


class StageLog(Protocol):
    """The part of the Glue logger (or any logger) that publishing uses."""

    def info(self, msg: str) -> None: ...


PublishHook = Callable[[str], None]


@dataclass(frozen=True)
class ExtractStore:
    """An extract root: ``s3://<bucket>/<prefix>/`` and how objects are encrypted there."""

    client: Any  # a boto3 S3 client
    bucket: str
    prefix: str
    kms_key_id: Optional[str] = None

    def key(self, relative: str) -> str:
        """The full object key of a key relative to the extract root."""
        return f"{self.prefix}/{relative}" if self.prefix else relative

    def relative(self, full_key: str) -> str:
        """The key relative to the extract root."""
        root = self.key("")
        return full_key[len(root):] if full_key.startswith(root) else full_key

    def encryption(self) -> dict[str, str]:
        """SSE-KMS arguments for every write (the bucket's key unless one is given)."""
        args = {"ServerSideEncryption": "aws:kms"}
        if self.kms_key_id:
            args["SSEKMSKeyId"] = self.kms_key_id
        return args

    def list_keys(self, relative_prefix: str) -> list[str]:
        """Every object key (full) under a relative prefix."""
        keys: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.key(relative_prefix)):
            keys.extend(obj["Key"] for obj in page.get("Contents", []))
        return keys

    def delete_keys(self, full_keys: Sequence[str]) -> None:
        """Delete objects in batches of 1000, failing on any per-key error."""
        for start in range(0, len(full_keys), 1000):
            batch = [{"Key": k} for k in full_keys[start:start + 1000]]
            response = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
            )
            errors = response.get("Errors", [])
            if errors:
                first = errors[0]
                raise PublishError(
                    f"could not delete {len(errors)} object(s), e.g. {first.get('Key')}: "
                    f"{first.get('Code')} {first.get('Message')}"
                )


@dataclass
class PublishResult:
    """What one month's publication did, for the job's log and the caller's checks."""

    month: ExtractMonth
    keys: list[str]
    bytes_written: int
    stale_removed: list[str] = field(default_factory=list)
    manifest_key: str = ""
    elapsed_seconds: float = 0.0


def staging_prefix(run_id: str) -> str:
    """``_staging/<run_id>/``, the run's work area relative to the root."""
    return f"{STAGING_FOLDER}/{run_id}/"


def _check_files(month: ExtractMonth, files: Sequence[RenderedFile]) -> None:
    suffix = month_folder_suffix(month)
    keys = [f.key for f in files]
    if len(set(keys)) != len(keys):
        raise PublishError(f"{month}: two files share one key")
    for key in keys:
        if not key.startswith(BANK_FOLDER_PREFIX) or suffix not in key or ".." in key:
            raise PublishError(f"{month}: key {key!r} is not an extract key of this month")


def _stage_and_verify(store: ExtractStore, run_id: str, files: Sequence[RenderedFile]) -> None:
    for f in files:
        staged = store.key(staging_prefix(run_id) + f.key)
        store.client.put_object(
            Bucket=store.bucket, Key=staged, Body=f.body, ContentType=CSV_CONTENT_TYPE,
            **store.encryption(),
        )
        read_back = store.client.get_object(Bucket=store.bucket, Key=staged)["Body"].read()
        if len(read_back) != len(f.body) or hashlib.sha256(read_back).hexdigest() != f.sha256:
            raise PublishError(
                f"staged {f.key} reads back as {len(read_back)} bytes with another SHA-256 "
                f"than the {len(f.body)} bytes written"
            )


def _copy_to_final(store: ExtractStore, run_id: str, files: Sequence[RenderedFile]) -> None:
    for f in files:
        store.client.copy_object(
            Bucket=store.bucket,
            Key=store.key(f.key),
            CopySource={"Bucket": store.bucket, "Key": store.key(staging_prefix(run_id) + f.key)},
            ContentType=CSV_CONTENT_TYPE,
            MetadataDirective="REPLACE",
            **store.encryption(),
        )


def stale_keys(store: ExtractStore, month: ExtractMonth, keep: Sequence[str]) -> list[str]:
    """Full keys under ``bank_name=*/year=YYYY/month=MM/`` that are not in ``keep``.

    Lists every extract object (no ``Delimiter``) and filters by pattern: one paginated listing
    of at most banks x months keys, and it does not depend on a server's delimiter handling
    (s3rver mishandles ``=`` in common prefixes).
    """
    keep_full = {store.key(k) for k in keep}
    pattern = re.compile(
        re.escape(store.key(BANK_FOLDER_PREFIX)) + r"[^/]+/" + re.escape(month_folder_suffix(month))
    )
    return sorted(k for k in store.list_keys(BANK_FOLDER_PREFIX)
                  if pattern.match(k) and k not in keep_full)


def remove_staging(store: ExtractStore, run_id: str) -> None:
    """Delete the run's staging area (idempotent)."""
    keys = store.list_keys(staging_prefix(run_id))
    if keys:
        store.delete_keys(keys)


def publish_month(
    store: ExtractStore,
    *,
    run_id: str,
    month: ExtractMonth,
    files: Sequence[RenderedFile],
    make_manifest: Callable[[datetime], Mapping[str, Any]],
    log: StageLog,
    hook: Optional[PublishHook] = None,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> PublishResult:
    """Publish one month's complete file set; see the module docstring for the protocol.

    ``make_manifest(published_at)`` builds the manifest once the files are in place. ``hook``
    is called after each step (tests use it to inject a failure between steps).
    """
    started = time.monotonic()
    _check_files(month, files)
    step = STEP_STAGED
    result = PublishResult(month=month, keys=[f.key for f in files],
                           bytes_written=sum(len(f.body) for f in files))
    try:
        try:
            _stage_and_verify(store, run_id, files)
            log.info(f"publish {month}: staged and verified {len(files)} file(s), "
                     f"{result.bytes_written} bytes under {store.key(staging_prefix(run_id))}")
            if hook:
                hook(STEP_STAGED)
            step = STEP_COPIED
            _copy_to_final(store, run_id, files)
            log.info(f"publish {month}: copied {len(files)} file(s) to their final keys")
            if hook:
                hook(STEP_COPIED)
            step = STEP_STALE_REMOVED
            result.stale_removed = stale_keys(store, month, result.keys)
            if result.stale_removed:
                store.delete_keys(result.stale_removed)
            log.info(f"publish {month}: removed {len(result.stale_removed)} stale object(s)"
                     + (f": {', '.join(result.stale_removed)}" if result.stale_removed else ""))
            if hook:
                hook(STEP_STALE_REMOVED)
            step = STEP_MANIFESTS_WRITTEN
            body = manifest_bytes(make_manifest(clock()))
            run_key, current_key = manifest_keys(month, run_id)
            for key in (run_key, current_key):
                store.client.put_object(
                    Bucket=store.bucket, Key=store.key(key), Body=body,
                    ContentType=JSON_CONTENT_TYPE, **store.encryption(),
                )
            result.manifest_key = store.key(current_key)
            log.info(f"publish {month}: wrote {store.key(run_key)} and {result.manifest_key}")
            if hook:
                hook(STEP_MANIFESTS_WRITTEN)
        except (ClientError, BotoCoreError) as exc:
            raise PublishError(f"publishing {month} failed during step '{step}': {exc}") from exc
    finally:
        _cleanup_staging(store, run_id, log)
    result.elapsed_seconds = time.monotonic() - started
    return result


def _cleanup_staging(store: ExtractStore, run_id: str, log: StageLog) -> None:
    """Remove the staging area without hiding the error that may be propagating."""
    try:
        remove_staging(store, run_id)
    except (ClientError, BotoCoreError, PublishError) as exc:
        log.info(f"publish: could not remove {store.key(staging_prefix(run_id))}: {exc}")
