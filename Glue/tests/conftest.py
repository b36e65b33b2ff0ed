"""Shared fixtures: the package on sys.path, a real S3-compatible server, golden vectors.

s3rver (npm, pinned in package.json) runs on 127.0.0.1 with a free port and a temp folder; the
publish tests talk to it through real boto3 calls, so the protocol is exercised over HTTP
rather than against a mock.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest

GLUE_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = GLUE_DIR.parent
sys.path.insert(0, str(GLUE_DIR))

S3RVER_BIN = REPO_ROOT / "node_modules" / "s3rver" / "bin" / "s3rver.js"


class ListLog:
    """A stand-in for the Glue logger that keeps the lines for assertions."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, msg: str) -> None:
        self.lines.append(msg)

    def error(self, msg: str) -> None:
        self.lines.append("ERROR " + msg)


@pytest.fixture
def log() -> ListLog:
    return ListLog()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"s3rver exited early with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"s3rver did not listen on 127.0.0.1:{port} within {timeout}s")


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start s3rver once for the session; stop exactly the process started here."""
    node = shutil.which("node")
    if node is None or not S3RVER_BIN.exists():
        pytest.fail("node and node_modules/s3rver are required: run scripts/install-test-deps.sh")
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("s3rver")
    proc = subprocess.Popen(
        [node, str(S3RVER_BIN), "-d", str(data_dir), "-a", "127.0.0.1", "-p", str(port), "--silent"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def s3_client(s3_endpoint: str):
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="S3RVER",
        aws_secret_access_key="S3RVER",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    client.meta.events.register("before-sign.s3.CopyObject", _unescape_copy_source_for_s3rver)
    return client


def _unescape_copy_source_for_s3rver(request, **_kwargs) -> None:
    """s3rver 3.7.1 decodes x-amz-copy-source with JS ``decodeURI``, which leaves ``%3D`` (=)
    and ``%26`` (&) encoded, so it cannot find keys like ``bank_name=X/...``. AWS S3 accepts
    both forms; this test-only hook sends those two characters unescaped."""
    header = request.headers.get("x-amz-copy-source")
    if header:
        value = header.decode() if isinstance(header, bytes) else header
        request.headers["x-amz-copy-source"] = value.replace("%3D", "=").replace("%26", "&")


@pytest.fixture
def bucket(s3_client) -> str:
    """A fresh, empty bucket per test."""
    name = f"extracts-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    return name


def all_keys(s3_client, bucket: str) -> list[str]:
    keys: list[str] = []
    for page in s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys.extend(o["Key"] for o in page.get("Contents", []))
    return sorted(keys)


def read_object(s3_client, bucket: str, key: str) -> bytes:
    return s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()


@pytest.fixture
def golden_case(request, tmp_path_factory: pytest.TempPathFactory):
    """The golden case named by the test's ``case_name`` parameter, loaded."""
    from golden import (LOCAL_CASE, LOCAL_ERROR_CASE, SHARED_DIR, load_case, write_local_case,
                        write_local_error_case)

    name = request.param
    if name == LOCAL_CASE:
        return load_case(write_local_case(tmp_path_factory.mktemp("golden")))
    if name == LOCAL_ERROR_CASE:
        return load_case(write_local_error_case(tmp_path_factory.mktemp("golden")))
    return load_case(SHARED_DIR / name)
