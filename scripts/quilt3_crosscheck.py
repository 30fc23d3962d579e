#!/usr/bin/env python3
"""Cross-check QuiltMcp against the real quilt3 library on an S3-compatible server (moto_server).

Run by a developer, not by CI. Two parts:

Matrix: 40 objects are seeded once into a source bucket: sizes {0, 1, 1 MiB-1, 1 MiB, 8 MiB-1, 8 MiB, 8 MiB+1,
16 MiB, 16 MiB+1, 3x8 MiB+1} x how they were written {boto3 default put_object, put_object with ChecksumAlgorithm
SHA256, multipart SHA256 in 8 MiB parts, multipart SHA256 in 5 MiB parts}. QuiltMcp `create-from-s3` packages
them 6 times: registry {versioned, unversioned, versioning suspended} x --copy {none, all}. quilt3 then browses
each package (its recomputed top hash must equal QuiltMcp's), reads every entry and checks its hash with
`entry._verify_hash`, checks the physical key, runs `Package.verify` on the S3 objects and installs the package
(`Package.install`, bytes compared, `Package.verify` of the folder). A cell is one entry x registry x copy
(240 in all); a failing cell is listed with its coordinates. The last line is
`quilt3 cross-check: P of N passed`.

Suite: QuiltMcp packages a prefix of awkward objects (odd keys, user metadata, an empty object, objects above
the 8 MiB chunk size), in place and with copies; quilt3 then browses, reads, verifies, installs and re-hashes
them, and pushes a revision on top. Reverse: quilt3 builds and pushes packages; QuiltMcp browses, verifies and
top-hashes them. One PASS/FAIL line per check.

Exit code: 1 if any cell or check failed, 2 if the cross-check could not run at all.

How to run
----------
quilt3 is not a dependency of this repository and is never committed here. Use its public source from a scratch
folder: `api/python` of github.com/quiltdata/quilt, e.g.

    # with a clone (or bare snapshot) of the public quiltdata/quilt repository at /tmp/quilt:
    python3 scripts/quilt3_crosscheck.py --quilt3-git-dir /tmp/quilt/.git   # extracts api/python/quilt3 to scratch
    python3 scripts/quilt3_crosscheck.py --quilt3-src /tmp/quilt/api/python  # or: a folder holding quilt3/

(an importable quilt3, e.g. `pip install quilt3`, is used when neither option is given). quilt3's pure-Python
dependencies platformdirs, tenacity, tqdm and requests_futures must be importable; where pip cannot reach PyPI,
Debian's packages do (`apt-get install python3-platformdirs python3-tenacity python3-tqdm
python3-requests-futures`): the script links just those modules from /usr/lib/python3/dist-packages into its
scratch folder. jsonlines and awscrt (CRC64NVME only, not used for sha2-256-chunked) get small stand-ins written
to the scratch folder when missing. boto3 and moto_server (`pip install 'moto[server]'`) are needed too.

The script starts moto_server on a free loopback port itself (or pass --endpoint http://127.0.0.1:PORT for a
running one), builds src/QuiltMcp in Release once (`dotnet build src/QuiltMcp -c Release`; --no-build skips it)
and runs the built quilt-mcp.dll with `dotnet`, in an explicit environment: PATH, HOME, the AWS_* variables that
point it at the server, and QUILT_MCP_STATE_DIR in the scratch folder; no inherited AWS_* or QUILT_* variable
reaches either tool. --matrix-only / --suite-only run one part. A full run takes a few minutes on 2 cores.
Set QUILT_CROSSCHECK_TRACE=1 for tracebacks.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
HEX64 = re.compile(r"^[0-9a-f]{64}$")
S3_META_KEYS = {"content_type", "etag", "last_modified", "version_id", "storage_class", "source"}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--endpoint", default=None,
                   help="S3 endpoint URL of a running moto_server (default: start one on a free loopback port).")
    p.add_argument("--moto-server", default="moto_server", help="moto_server command (default: moto_server).")
    p.add_argument("--quilt3-src", default=os.environ.get("QUILT3_SRC"),
                   help="Folder that holds quilt3's source package quilt3/ (api/python of quiltdata/quilt); "
                        "default: $QUILT3_SRC, else an importable quilt3.")
    p.add_argument("--quilt3-git-dir", default=None,
                   help="Git directory of a quiltdata/quilt clone or snapshot: api/python/quilt3 of --quilt3-rev "
                        "is extracted into the scratch folder.")
    p.add_argument("--quilt3-rev", default="HEAD", help="Revision for --quilt3-git-dir (default: HEAD).")
    p.add_argument("--quilt-mcp", default=None,
                   help="Command that runs QuiltMcp, e.g. 'quilt-mcp' "
                        "(default: build src/QuiltMcp in Release once, then run its dll with dotnet).")
    p.add_argument("--no-build", action="store_true", help="Do not build src/QuiltMcp first.")
    part = p.add_mutually_exclusive_group()
    part.add_argument("--matrix-only", action="store_true", help="Run only the size x writer x registry x copy matrix.")
    part.add_argument("--suite-only", action="store_true", help="Run only the suite of named checks.")
    p.add_argument("--work-dir", default=None, help="Scratch folder (default: a new temporary folder).")
    p.add_argument("--keep", action="store_true", help="Keep the scratch folder.")
    return p.parse_args()


def die(msg):
    print(f"error: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


# --------------------------------------------------------------------------------------------------------------
# Environment: moto_server, quilt3 from source, explicit environments for both tools

def scrub_environment():
    """Drops every inherited AWS_* and QUILT_* variable from this process (quilt3 and boto3 read os.environ)."""
    for k in list(os.environ):
        if k.startswith(("AWS_", "QUILT_")):
            del os.environ[k]


def aws_environment(endpoint, work):
    """The AWS_* variables both tools get: the server, dummy keys, and no shared config or instance metadata."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ENDPOINT_URL_S3": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(work / "aws-config-absent"),
        "AWS_SHARED_CREDENTIALS_FILE": str(work / "aws-credentials-absent"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def child_environment(endpoint, work):
    """QuiltMcp's whole environment: nothing inherited but PATH, HOME and the .NET location."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "DOTNET_ROOT", "TMPDIR", "LANG") if k in os.environ}
    env.update(DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1", DOTNET_SKIP_FIRST_TIME_EXPERIENCE="1")
    env.update(aws_environment(endpoint, work))
    env["QUILT_MCP_STATE_DIR"] = str(work / "quilt-mcp-state")
    return env


def free_loopback_port():
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto(command, work):
    """Starts moto_server on a free loopback port; returns (process, endpoint) once it answers."""
    import urllib.request
    exe = shutil.which(command)
    if not exe:
        die(f"{command} not found (pip install 'moto[server]'), or pass --endpoint of a running S3 server.")
    for _ in range(3):
        port = free_loopback_port()
        log = open(work / "moto_server.log", "ab")
        proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env={k: v for k, v in os.environ.items()})
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(endpoint + "/moto-api/data.json", timeout=2).read()
                return proc, endpoint
            except OSError:
                time.sleep(0.2)
        proc.terminate()
        proc.wait(10)
    die(f"moto_server did not start; see {work / 'moto_server.log'}")


def stop_moto(proc):
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


# Stand-ins for two quilt3 dependencies that may be missing. jsonlines: only Reader(iterable, loads) and
# Writer(fp, dumps) as quilt3 uses them (one value per line, "\n" after each, as jsonlines 1.2 writes).
# awscrt: quilt3 imports it for CRC64NVME only; the stand-in refuses to compute it, so a CRC64NVME entry
# fails loudly instead of passing.
JSONLINES_SHIM = '''"""Stand-in for jsonlines, written by QuiltMcp's quilt3_crosscheck.py (only what quilt3 uses)."""
import io, json


class Reader:
    def __init__(self, iterable, loads=json.loads):
        self._it = iter(iterable)
        self._loads = loads

    def read(self):
        return self._loads(next(self._it))

    def __iter__(self):
        for line in self._it:
            if isinstance(line, bytes):
                line = line.decode("utf-8")
            if line.strip():
                yield self._loads(line)

    def close(self):
        pass


class Writer:
    def __init__(self, fp, *, dumps=json.dumps, flush=False, **_):
        self._fp = fp
        self._dumps = dumps
        self._flush = flush
        self._text = isinstance(fp, io.TextIOBase) or not isinstance(fp, (io.RawIOBase, io.BufferedIOBase))

    def write(self, obj):
        line = self._dumps(obj) + "\\n"
        self._fp.write(line if self._text else line.encode("utf-8"))
        if self._flush:
            self._fp.flush()

    def close(self):
        pass
'''
AWSCRT_SHIM = '''"""Stand-in for awscrt.checksums, written by QuiltMcp's quilt3_crosscheck.py: CRC64NVME is refused."""


def crc64nvme(data, previous_crc64=0):
    raise NotImplementedError("awscrt is not installed; CRC64NVME is not available in this cross-check")


def combine_crc64nvme(crc64_a, crc64_b, length_b):
    raise NotImplementedError("awscrt is not installed; CRC64NVME is not available in this cross-check")
'''
DEBIAN_DIST_PACKAGES = Path("/usr/lib/python3/dist-packages")


def prepare_quilt3(args, work):
    """Puts quilt3's source and its missing dependencies on sys.path; returns a note on where they came from."""
    import importlib.util
    shims = work / "pyshims"
    shims.mkdir(parents=True, exist_ok=True)
    src = None
    if args.quilt3_git_dir:
        src = work / "quilt3-src"
        src.mkdir(parents=True, exist_ok=True)
        # git archive of the subtree (the whole tree may hold objects a shallow snapshot lacks)
        archive = subprocess.run(["git", f"--git-dir={args.quilt3_git_dir}", "archive", "--format=tar",
                                  f"{args.quilt3_rev}:api/python", "quilt3", "pyproject.toml"],
                                 capture_output=True)
        if archive.returncode != 0:
            die(f"git archive of api/python/quilt3 failed: {archive.stderr.decode(errors='replace')[-1000:]}")
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
    elif args.quilt3_src:
        src = Path(args.quilt3_src)
        if not (src / "quilt3" / "__init__.py").exists():
            die(f"{src} holds no quilt3/__init__.py (pass api/python of quiltdata/quilt)")
    notes = []
    if src is not None:
        sys.path.insert(0, str(src))
        version = "0+source"
        pyproject = src / "pyproject.toml"
        if pyproject.exists():
            m = re.search(r'(?m)^version\s*=\s*"([^"]+)"', pyproject.read_text())
            version = m.group(1) if m else version
        # quilt3/__init__.py asks importlib.metadata for its version: give the source folder a dist-info.
        info = shims / f"quilt3-{version}.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: quilt3\nVersion: {version}\n")
        notes.append(f"quilt3 source {src}")
    sys.path.insert(1 if src is not None else 0, str(shims))
    for module in ("platformdirs", "tenacity", "tqdm", "requests_futures"):
        if importlib.util.find_spec(module) is None:
            debian = DEBIAN_DIST_PACKAGES / module
            if not debian.is_dir():
                die(f"quilt3 needs {module}: pip install {module}, or apt-get install "
                    f"python3-{module.replace('_', '-')} (its module is then linked from {DEBIAN_DIST_PACKAGES})")
            if not (shims / module).exists():
                (shims / module).symlink_to(debian)
            notes.append(f"{module} from {DEBIAN_DIST_PACKAGES}")
    if importlib.util.find_spec("jsonlines") is None:
        (shims / "jsonlines.py").write_text(JSONLINES_SHIM)
        notes.append("jsonlines stand-in")
    if importlib.util.find_spec("awscrt") is None:
        (shims / "awscrt").mkdir(exist_ok=True)
        (shims / "awscrt" / "__init__.py").write_text("")
        (shims / "awscrt" / "checksums.py").write_text(AWSCRT_SHIM)
        notes.append("awscrt stand-in (no CRC64NVME)")
    return ", ".join(notes)


# --------------------------------------------------------------------------------------------------------------
# Reporting

class Report:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, name, fn):
        """Runs fn(); it passes unless it raises. A returned string is printed as detail."""
        try:
            detail = fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
            msg = str(e) or type(e).__name__
            if not isinstance(e, AssertionError):
                msg = f"{type(e).__name__}: {msg}"
                if os.environ.get("QUILT_CROSSCHECK_TRACE"):
                    traceback.print_exc()
            self.failed.append(name)
            print(f"FAIL {name}: {msg}", flush=True)
            return False
        self.passed += 1
        print(f"PASS {name}" + (f" ({detail})" if isinstance(detail, str) and detail else ""), flush=True)
        return True


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def expect_eq(actual, expected, what):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


# --------------------------------------------------------------------------------------------------------------
# Fixtures

def data(seed, size):
    return random.Random(seed).randbytes(size)


# logical key (relative to the source prefix) -> (bytes, S3 user metadata, content type)
SMALL_OBJECTS = {
    "plain.txt": (b"Hello, World!", {"color": "blue", "owner": "lab-7"}, "text/plain"),
    "with space/a b.txt": (b"spaces", {"note": "has spaces"}, "text/plain"),
    "plus+sign.csv": (b"a,b\n1,2\n", {}, "text/csv"),
    "percent%20literal.txt": (b"literal percent-two-zero", {"k": "v"}, "text/plain"),
    "100%.txt": (b"one hundred percent", {}, "text/plain"),
    "ünïcödé/данные.csv": ("x,y\nщ,ж\n".encode(), {"lang": "ru"}, "text/csv; charset=utf-8"),
    "emoji 😀.txt": ("😀".encode(), {}, "text/plain"),
    "a/b.txt": (b"ordering: a/b sorts before a-c", {}, "text/plain"),
    "a-c.txt": (b"ordering", {}, "text/plain"),
    "hash#and?query&=.txt": (b"url specials", {"x-y": "z"}, "application/octet-stream"),
    "tilde~.txt": (b"tilde", {}, "text/plain"),
    "empty.bin": (b"", {"kind": "empty"}, "application/octet-stream"),
    "medium.bin": (data(1, 2 * MIB + 7), {"kind": "medium"}, "application/octet-stream"),
}
# Above the 8 MiB chunk size: a multipart upload in quilt chunks, and one single PUT (its full-object SHA-256
# must NOT be taken for the chunked hash).
BIG_MULTIPART = ("big/multipart.bin", data(2, 2 * 8 * MIB + 12345), {"kind": "big-mpu"}, "application/x-big")
BIG_SINGLE = ("big/single put.bin", data(3, 9 * MIB + 1), {"kind": "big-single"}, "application/x-big")


def fixtures():
    out = dict(SMALL_OBJECTS)
    for key, body, meta, ct in (BIG_MULTIPART, BIG_SINGLE):
        out[key] = (body, meta, ct)
    return out


def upload_fixtures(s3, bucket, prefix):
    for key, (body, meta, ct) in SMALL_OBJECTS.items():
        s3.put_object(Bucket=bucket, Key=prefix + key, Body=body, Metadata=meta, ContentType=ct,
                      ChecksumAlgorithm="SHA256")
    key, body, meta, ct = BIG_MULTIPART
    mpu = s3.create_multipart_upload(Bucket=bucket, Key=prefix + key, Metadata=meta, ContentType=ct,
                                     ChecksumAlgorithm="SHA256")
    parts = []
    for n, start in enumerate(range(0, len(body), 8 * MIB), start=1):
        r = s3.upload_part(Bucket=bucket, Key=prefix + key, UploadId=mpu["UploadId"], PartNumber=n,
                           Body=body[start:start + 8 * MIB], ChecksumAlgorithm="SHA256")
        part = {"PartNumber": n, "ETag": r["ETag"]}
        if "ChecksumSHA256" in r:
            part["ChecksumSHA256"] = r["ChecksumSHA256"]
        parts.append(part)
    s3.complete_multipart_upload(Bucket=bucket, Key=prefix + key, UploadId=mpu["UploadId"],
                                 MultipartUpload={"Parts": parts})
    key, body, meta, ct = BIG_SINGLE
    s3.put_object(Bucket=bucket, Key=prefix + key, Body=body, Metadata=meta, ContentType=ct,
                  ChecksumAlgorithm="SHA256")
    # Not package content: a folder marker (skipped by both tools) and an object outside the prefix.
    s3.put_object(Bucket=bucket, Key=prefix + "folder/", Body=b"")
    s3.put_object(Bucket=bucket, Key="outside.txt", Body=b"not in the package")


# --------------------------------------------------------------------------------------------------------------
# QuiltMcp

class QuiltMcp:
    def __init__(self, command, env):
        self.command = command
        self.env = env

    def run(self, *args, expect_rc=(0,)):
        cmd = self.command + [str(a) for a in args]
        proc = subprocess.run(cmd, cwd=REPO, env=self.env, capture_output=True, text=True, timeout=900)
        if proc.returncode not in expect_rc:
            raise AssertionError(f"`{shlex.join(cmd)}` exited {proc.returncode}: "
                                 f"{(proc.stderr.strip() or proc.stdout.strip())[-2000:]}")
        return proc

    def json(self, *args, expect_rc=(0,)):
        proc = self.run(*args, "--json", expect_rc=expect_rc)
        try:
            return json.loads(proc.stdout)
        except json.JSONDecodeError as e:
            raise AssertionError(f"QuiltMcp printed no JSON ({e}): {proc.stdout[:500]!r}") from e


def quilt_mcp_command(args, env):
    if args.quilt_mcp:
        return shlex.split(args.quilt_mcp)
    if not args.no_build:
        print("building src/QuiltMcp (Release) ...", flush=True)
        build = subprocess.run(["dotnet", "build", "-c", "Release", "-nologo", "-v", "quiet", "src/QuiltMcp"],
                               cwd=REPO, env=env, capture_output=True, text=True)
        if build.returncode != 0:
            print(f"error: dotnet build failed:\n{build.stdout[-3000:]}{build.stderr[-2000:]}", file=sys.stderr)
            sys.exit(2)
    dll = REPO / "src/QuiltMcp/bin/Release/net10.0/quilt-mcp.dll"
    if not dll.exists():
        print(f"error: {dll} not found; build it (dotnet build -c Release src/QuiltMcp) or pass --quilt-mcp.",
              file=sys.stderr)
        sys.exit(2)
    return ["dotnet", str(dll)]


# --------------------------------------------------------------------------------------------------------------
# quilt3-side checks of a package QuiltMcp wrote

def check_quilt3_reads(report, quilt3, s3, *, tag, name, registry, created, objects, src_bucket, src_prefix,
                       copied, pkg_meta, message, install_root):
    reg_bucket = registry[len("s3://"):]
    top_hash = created["top_hash"]
    state = {}

    def browse():
        pkg = quilt3.Package.browse(name, registry=registry)
        state["pkg"] = pkg
        expect_eq(pkg.top_hash, top_hash, "quilt3 top_hash (recomputed from the manifest) vs QuiltMcp's")
        return top_hash[:12]
    if not report.check(f"{tag}: quilt3 browse latest, recomputed top hash equals QuiltMcp's", browse):
        return
    pkg = state["pkg"]
    entries = dict(pkg.walk())

    def short_hash():
        expect_eq(quilt3.Package.browse(name, registry=registry, top_hash=top_hash[:10]).top_hash, top_hash,
                  "browse by 10-char prefix")
    report.check(f"{tag}: quilt3 browse by short top-hash prefix", short_hash)

    def header():
        expect_eq(pkg.meta, pkg_meta, "package metadata (header user_meta)")
        expect_eq(pkg._meta.get("message"), message, "header message")
        expect_eq(pkg._meta.get("version"), "v0", "header version")
    report.check(f"{tag}: package metadata and message", header)

    def keys_sizes():
        expect_eq(sorted(entries), sorted(objects), "logical keys")
        for lk, (body, _, _) in objects.items():
            expect_eq(entries[lk].size, len(body), f"size of {lk!r}")
        return f"{len(entries)} entries"
    report.check(f"{tag}: logical keys and sizes (odd keys, empty, >8 MiB)", keys_sizes)

    def metadata():
        for lk, (_, meta, ct) in objects.items():
            e = entries[lk]
            expect_eq(e.meta, meta, f"user_meta of {lk!r}")
            s3m = e._meta.get("s3")
            expect(isinstance(s3m, dict), f"meta.s3 missing on {lk!r}: {e._meta!r}")
            expect(S3_META_KEYS <= set(s3m), f"meta.s3 of {lk!r} lacks {sorted(S3_META_KEYS - set(s3m))}")
            expect_eq(s3m["content_type"], ct, f"meta.s3.content_type of {lk!r}")
            src = str(quilt3.util.PhysicalKey(src_bucket, src_prefix + lk, None))
            expect_eq(s3m["source"], src, f"meta.s3.source of {lk!r}")
    report.check(f"{tag}: entry metadata (user_meta, s3 keys)", metadata)

    def physical_keys():
        for lk, e in entries.items():
            pk = e.physical_key
            if copied:
                expect_eq((pk.bucket, pk.path), (reg_bucket, f"{name}/{lk}"), f"copy destination of {lk!r}")
                expect(pk.version_id is not None, f"copy of {lk!r} has no versionId (registry is versioned)")
            else:
                expect_eq((pk.bucket, pk.path, pk.version_id), (src_bucket, src_prefix + lk, None),
                          f"in-place physical key of {lk!r}")
    report.check(f"{tag}: physical keys parse in quilt3 ({'copies' if copied else 'in place'})", physical_keys)

    def bytes_and_hashes():
        for lk, (body, _, _) in objects.items():
            e = entries[lk]
            got = e.get_bytes(use_cache_if_available=False)
            expect(got == body, f"bytes of {lk!r} differ ({len(got)} vs {len(body)})")
            expect_eq(e.hash["type"], "sha2-256-chunked", f"hash type of {lk!r}")
            e._verify_hash(got)  # quilt3's own check (raises QuiltException on mismatch)
    report.check(f"{tag}: quilt3 reads every entry and its hash verifies", bytes_and_hashes)

    def verify_s3_dir():
        where = f"s3://{reg_bucket}/{name}/" if copied else f"s3://{src_bucket}/{src_prefix}"
        expect(pkg.verify(where, extra_files_ok=True) is True, f"Package.verify({where!r}) returned False")
        return where
    report.check(f"{tag}: quilt3 Package.verify against the S3 objects", verify_s3_dir)

    if copied:
        def copied_object_meta():
            for lk, (_, meta, ct) in objects.items():
                pk = entries[lk].physical_key
                head = s3.head_object(Bucket=pk.bucket, Key=pk.path, VersionId=pk.version_id)
                expect_eq(head["Metadata"], meta, f"S3 metadata of the copy of {lk!r}")
                expect_eq(head["ContentType"], ct, f"content type of the copy of {lk!r}")
        report.check(f"{tag}: copies keep S3 metadata and content type", copied_object_meta)

    def manifest_bytes():
        stored = s3.get_object(Bucket=reg_bucket, Key=f".quilt/packages/{top_hash}")["Body"].read()
        buf = io.StringIO()
        pkg.dump(buf)
        expect(stored == buf.getvalue().encode("utf-8"),
               "stored manifest differs from quilt3's serialization of the same package:\n"
               f"  ours:   {stored[:300]!r}\n  quilt3: {buf.getvalue().encode()[:300]!r}")
        return f"{len(stored)} bytes"
    report.check(f"{tag}: manifest bytes identical to quilt3's own serialization", manifest_bytes)

    def pointers():
        latest = s3.get_object(Bucket=reg_bucket, Key=f".quilt/named_packages/{name}/latest")["Body"].read()
        expect_eq(latest, top_hash.encode("ascii"), "latest pointer bytes (64 hex, no newline)")
        versions = list(quilt3.list_package_versions(name, registry=registry))
        expect(("latest", top_hash) in versions, f"latest not listed: {versions}")
        stamps = [v for v in versions if v[0] != "latest"]
        expect(any(h == top_hash for _, h in stamps), f"no timestamp pointer to {top_hash}: {versions}")
        expect(all(s.isdigit() and HEX64.match(h) for s, h in stamps), f"bad pointers: {versions}")
        return f"{len(stamps)} revision(s)"
    report.check(f"{tag}: pointers and quilt3 list_package_versions", pointers)

    def install():
        dest = install_root / tag / "files"
        local_reg = install_root / tag / "registry"
        quilt3.Package.install(name, registry=registry, dest=str(dest), dest_registry=str(local_reg))
        for lk, (body, _, _) in objects.items():
            expect((dest / lk).read_bytes() == body, f"installed bytes of {lk!r} differ")
        installed = quilt3.Package.browse(name, registry=str(local_reg))
        expect_eq(installed.top_hash, top_hash, "top hash of the installed copy")
        expect(pkg.verify(str(dest)) is True, "Package.verify(installed folder) returned False")
        # The check can fail: one changed byte must be caught.
        victim = dest / "plain.txt"
        original = victim.read_bytes()
        victim.write_bytes(b"J" + original[1:])
        try:
            expect(pkg.verify(str(dest)) is False, "Package.verify did not notice a changed file")
        finally:
            victim.write_bytes(original)
    report.check(f"{tag}: quilt3 install, bytes equal, verify(folder) true and catches a change", install)


# --------------------------------------------------------------------------------------------------------------
# QuiltMcp-side checks of a package quilt3 wrote

def check_quiltmcp_reads(report, mcp, quilt3, s3, work, *, tag, name, registry):
    state = {}

    def load():
        state["pkg"] = quilt3.Package.browse(name, registry=registry)
    if not report.check(f"{tag}: quilt3 browses its own package", load):
        return
    pkg = state["pkg"]
    q_entries = {lk: e for lk, e in pkg.walk()}

    def browse():
        out = mcp.json("browse", name, "--registry", registry)
        expect_eq(out["top_hash"], pkg.top_hash, "QuiltMcp browse top_hash")
        expect_eq(out.get("metadata"), pkg._meta.get("user_meta"), "package metadata")
        expect_eq(out.get("message"), pkg._meta.get("message"), "message")
        ours = {e["logical_key"]: e for e in out["entries"]}
        expect_eq(sorted(ours), sorted(q_entries), "logical keys")
        for lk, qe in q_entries.items():
            e = ours[lk]
            expect_eq(e["size"], qe.size, f"size of {lk!r}")
            expect_eq({"type": e["hash_type"], "value": e["hash_value"]}, qe.hash, f"hash of {lk!r}")
            expect_eq(e["meta"], qe._meta, f"meta of {lk!r}")
            expect_eq(e["physical_key"], str(qe.physical_key), f"physical key of {lk!r}")
        return f"{len(ours)} entries"
    report.check(f"{tag}: QuiltMcp browse matches quilt3 (keys, sizes, hashes, meta, physical keys)", browse)

    def verify():
        out = mcp.json("verify", name, "--registry", registry, expect_rc=(0, 1))
        expect(out.get("is_valid") is True, f"QuiltMcp verify: {out.get('problems')}")
        expect_eq(out.get("entries_checked"), len(q_entries), "entries checked")
        return f"{out['entries_checked']} entries"
    report.check(f"{tag}: QuiltMcp verify", verify)

    def tophash():
        manifest = work / f"{tag}.manifest.jsonl"
        if registry.startswith("s3://"):
            body = s3.get_object(Bucket=registry[5:], Key=f".quilt/packages/{pkg.top_hash}")["Body"].read()
        else:
            body = (Path(registry) / ".quilt/packages" / pkg.top_hash).read_bytes()
        manifest.write_bytes(body)
        out = mcp.run("tophash", manifest).stdout.strip()
        expect_eq(out, pkg.top_hash, "QuiltMcp tophash of quilt3's manifest")
    report.check(f"{tag}: QuiltMcp tophash of the manifest file equals quilt3's", tophash)

    def listed():
        out = mcp.json("list", "--registry", registry)
        found = {p["package_name"]: p for p in out["packages"]}
        expect(name in found, f"{name} not listed: {sorted(found)}")
        expect_eq(found[name]["latest_top_hash"], pkg.top_hash, "latest_top_hash")
    report.check(f"{tag}: QuiltMcp list", listed)


# --------------------------------------------------------------------------------------------------------------
# Matrix: sizes x writers x registries x copy, one cell per entry x registry x copy

CHUNK = 8 * MIB
MATRIX_SIZES = [
    ("0", 0), ("1", 1), ("1MiB-1", MIB - 1), ("1MiB", MIB), ("8MiB-1", 8 * MIB - 1), ("8MiB", 8 * MIB),
    ("8MiB+1", 8 * MIB + 1), ("16MiB", 16 * MIB), ("16MiB+1", 16 * MIB + 1), ("3x8MiB+1", 3 * 8 * MIB + 1),
]
MATRIX_WRITERS = ["put", "put-sha256", "mpu-sha256-8MiB", "mpu-sha256-5MiB"]
MATRIX_REGISTRIES = ["versioned", "unversioned", "suspended"]
MATRIX_COPIES = ["none", "all"]
MATRIX_PREFIX = "matrix/"


def matrix_key(writer, label):
    return f"{writer}/{label}.bin"


def matrix_objects():
    """logical key -> (writer, size label, bytes); the bytes differ between writers."""
    out = {}
    for w, writer in enumerate(MATRIX_WRITERS):
        for label, size in MATRIX_SIZES:
            out[matrix_key(writer, label)] = (writer, label, data(1000 * (w + 1) + size % 997, size))
    return out


def seed_matrix(s3, bucket, objects):
    for lk, (writer, _, body) in objects.items():
        key = MATRIX_PREFIX + lk
        if writer == "put":
            s3.put_object(Bucket=bucket, Key=key, Body=body)
        elif writer == "put-sha256":
            s3.put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm="SHA256")
        else:
            part_size = 8 * MIB if writer.endswith("8MiB") else 5 * MIB
            mpu = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm="SHA256")
            parts = []
            # an empty object is one empty part
            for n, start in enumerate(range(0, max(len(body), 1), part_size), start=1):
                r = s3.upload_part(Bucket=bucket, Key=key, UploadId=mpu["UploadId"], PartNumber=n,
                                   Body=body[start:start + part_size], ChecksumAlgorithm="SHA256")
                part = {"PartNumber": n, "ETag": r["ETag"]}
                if "ChecksumSHA256" in r:
                    part["ChecksumSHA256"] = r["ChecksumSHA256"]
                parts.append(part)
            s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=mpu["UploadId"],
                                         MultipartUpload={"Parts": parts})


def describe_source(s3, bucket, key):
    """What S3 says about a source object: ETag, stored SHA-256 and checksum type (for diagnoses)."""
    try:
        h = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        return f"source ETag {h.get('ETag')}, ChecksumSHA256 {h.get('ChecksumSHA256')}, " \
               f"ChecksumType {h.get('ChecksumType')}"
    except Exception as e:  # noqa: BLE001 - diagnosis only
        return f"source HEAD failed: {e}"


class Matrix:
    def __init__(self):
        self.cells = {}  # (registry kind, copy, logical key) -> list of problems

    def cell(self, reg_kind, copy, lk):
        return self.cells.setdefault((reg_kind, copy, lk), [])

    def fail(self, reg_kind, copy, lk, problem):
        self.cell(reg_kind, copy, lk).append(problem)


def run_matrix(quilt3, s3, mcp, work, run):
    from quilt3 import checksums as q3checksums
    from quilt3.data_transfer import FileChecksumTask, calculate_multipart_checksum
    from quilt3.util import PhysicalKey

    t0 = time.monotonic()
    objects = matrix_objects()
    src = f"q3m-src-{run}"
    registries = {"versioned": f"q3m-ver-{run}", "unversioned": f"q3m-unv-{run}", "suspended": f"q3m-sus-{run}"}
    for b in (src, *registries.values()):
        s3.create_bucket(Bucket=b)
    s3.put_bucket_versioning(Bucket=registries["versioned"], VersioningConfiguration={"Status": "Enabled"})
    sus = registries["suspended"]
    s3.put_bucket_versioning(Bucket=sus, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=sus, Key="written-while-enabled.txt", Body=b"has a real version id")
    s3.put_bucket_versioning(Bucket=sus, VersioningConfiguration={"Status": "Suspended"})
    seed_matrix(s3, src, objects)
    print(f"matrix: seeded {len(objects)} objects into s3://{src}/{MATRIX_PREFIX} "
          f"({sum(len(b) for _, _, b in objects.values()) / MIB:.0f} MiB) in {time.monotonic() - t0:.1f}s; "
          f"registries {registries}", flush=True)
    # What quilt3 computes for each body (the hash every cell must carry).
    expected = {lk: q3checksums.calculate_multipart_checksum_bytes(body, checksum_type="sha2-256-chunked")
                for lk, (_, _, body) in objects.items()}
    m = Matrix()
    for reg_kind in MATRIX_REGISTRIES:
        for copy in MATRIX_COPIES:
            for lk in objects:
                m.cell(reg_kind, copy, lk)
            t1 = time.monotonic()
            check_matrix_package(m, quilt3, s3, mcp, work, objects, expected, src=src, reg_kind=reg_kind,
                                 registry_bucket=registries[reg_kind], copy=copy,
                                 PhysicalKey=PhysicalKey, FileChecksumTask=FileChecksumTask,
                                 calculate_multipart_checksum=calculate_multipart_checksum)
            bad = sum(1 for (r, c, _), probs in m.cells.items() if r == reg_kind and c == copy and probs)
            print(f"matrix: registry={reg_kind} copy={copy}: {len(objects) - bad} of {len(objects)} cells passed "
                  f"({time.monotonic() - t1:.1f}s)", flush=True)
    return m


def check_matrix_package(m, quilt3, s3, mcp, work, objects, expected, *, src, reg_kind, registry_bucket, copy,
                         PhysicalKey, FileChecksumTask, calculate_multipart_checksum):
    registry = f"s3://{registry_bucket}"
    name = f"matrix/{reg_kind}-copy-{copy}"
    tag = f"registry={reg_kind} copy={copy}"

    def fail_all(problem, short=None):
        # Printed whole once; each cell carries a short form.
        print(f"FAIL package {tag}: {problem}", flush=True)
        short = short or (problem.strip().splitlines() or [""])[0][:300]
        for lk in objects:
            m.fail(reg_kind, copy, lk, f"package {name}: {short}")

    def fail_some(lks, problem):
        for lk in lks:
            m.fail(reg_kind, copy, lk, problem)

    # QuiltMcp writes the package.
    try:
        created = mcp.json("create-from-s3", f"s3://{src}/{MATRIX_PREFIX}", "--name", name, "--registry", registry,
                           "--copy", copy, "--message", f"matrix {tag}")
    except AssertionError as e:
        problem = f"quilt-mcp create-from-s3 failed: {e}"
        last_error = [ln for ln in str(e).splitlines() if ln.startswith("error:")]
        short = "quilt-mcp create-from-s3 failed" + (f" ({last_error[-1][:200]})" if last_error else "")
        if re.search(r"HeadObject on \S+\?versionId=null failed: BadRequest", str(e)) and reg_kind != "versioned":
            problem = ("moto_server refuses HeadObject ?versionId=null (400) on a bucket whose versioning is not "
                       "Enabled; moto's CompleteMultipartUpload returned x-amz-version-id: null, which QuiltMcp "
                       "keeps in a suspended bucket and then HEADs (real S3 serves the null version) -- " + problem)
            short = "moto refuses HeadObject ?versionId=null on a suspended bucket; " + short
        fail_all(problem, short)
        return
    top_hash = created.get("top_hash", "")
    print(f"matrix: {tag}: quilt-mcp wrote {name}@{top_hash[:12]}, hashes by step {created.get('hashes_by_step')}",
          flush=True)
    if created.get("entries") != len(objects):
        fail_all(f"quilt-mcp reported {created.get('entries')} entries, expected {len(objects)}")

    # quilt3 browses it: the top hash it recomputes from the manifest must equal QuiltMcp's.
    try:
        pkg = quilt3.Package.browse(name, registry=registry)
    except Exception as e:  # noqa: BLE001
        fail_all(f"quilt3 Package.browse failed: {type(e).__name__}: {e}")
        return
    if pkg.top_hash != top_hash:
        fail_all(f"quilt3 top hash {pkg.top_hash} != quilt-mcp's {top_hash}")
    entries = dict(pkg.walk())
    extra = sorted(set(entries) - set(objects))
    if extra:
        fail_all(f"manifest has unexpected entries {extra}")

    # Every entry: hash, physical key, bytes, quilt3's own hash check.
    for lk, (writer, label, body) in objects.items():
        e = entries.get(lk)
        if e is None:
            m.fail(reg_kind, copy, lk, "entry missing from the manifest")
            continue
        problems = []
        if e.size != len(body):
            problems.append(f"size {e.size} != {len(body)}")
        if e.hash.get("type") != "sha2-256-chunked":
            problems.append(f"hash type {e.hash.get('type')!r}")
        if e.hash.get("value") != expected[lk]:
            problems.append(f"quilt-mcp wrote hash {e.hash.get('value')}, quilt3 computes {expected[lk]} "
                            f"({describe_source(s3, src, MATRIX_PREFIX + lk)})")
        pk = e.physical_key
        if copy == "none":
            if (pk.bucket, pk.path, pk.version_id) != (src, MATRIX_PREFIX + lk, None):
                problems.append(f"physical key {pk} is not the source s3://{src}/{MATRIX_PREFIX}{lk}")
        else:
            if (pk.bucket, pk.path) != (registry_bucket, f"{name}/{lk}"):
                problems.append(f"physical key {pk} is not the copy s3://{registry_bucket}/{name}/{lk}")
            if reg_kind == "versioned" and not pk.version_id:
                problems.append(f"copy {pk} has no versionId in a versioned registry")
            if reg_kind == "unversioned" and pk.version_id is not None:
                problems.append(f"copy {pk} has a versionId in an unversioned registry")
            if reg_kind == "suspended" and pk.version_id not in (None, "null"):
                problems.append(f"copy {pk} has versionId {pk.version_id!r} in a suspended registry "
                                f"(new writes there have the null version)")
            if pk.version_id:
                # The listing, not HEAD ?versionId= (moto answers 400 to that on a bucket not "Enabled").
                try:
                    listed = s3.list_object_versions(Bucket=pk.bucket, Prefix=pk.path).get("Versions", [])
                    current = [v.get("VersionId") for v in listed if v["Key"] == pk.path and v.get("IsLatest")]
                    if current != [pk.version_id]:
                        problems.append(f"versionId {pk.version_id} is not the copy's current version {current}")
                except Exception as ex:  # noqa: BLE001
                    problems.append(f"ListObjectVersions of {pk} failed: {ex}")
        try:
            got = e.get_bytes(use_cache_if_available=False)
            if got != body:
                problems.append(f"quilt3 get_bytes returned other bytes ({len(got)} vs {len(body)})")
            e._verify_hash(got)  # quilt3's own check; raises QuiltException on a mismatch
        except Exception as ex:  # noqa: BLE001
            problems.append(f"quilt3 get_bytes/_verify_hash: {type(ex).__name__}: {ex}")
        for problem in problems:
            m.fail(reg_kind, copy, lk, problem)

    # quilt3 Package.verify against the S3 objects (what it reads back itself, by ranged GETs).
    where = f"s3://{registry_bucket}/{name}/" if copy == "all" else f"s3://{src}/{MATRIX_PREFIX}"
    try:
        ok = pkg.verify(where, extra_files_ok=False)
    except Exception as ex:  # noqa: BLE001
        ok = f"{type(ex).__name__}: {ex}"
    if ok is not True:
        # Package.verify answers for the package; quilt3's own per-object checksum tells which entries.
        culprits = []
        present = {lk for lk in entries}
        for lk in sorted(present & set(objects)):
            ent = entries[lk]
            got = calculate_multipart_checksum([FileChecksumTask.create(ent.physical_key, ent.size,
                                                                         ent.hash["type"])])[0]
            if got != ent.hash["value"]:
                culprits.append(lk)
                m.fail(reg_kind, copy, lk, f"quilt3 hashes {ent.physical_key} as {got}, manifest has "
                                           f"{ent.hash['value']}")
        if not culprits:
            fail_all(f"quilt3 Package.verify({where!r}) returned {ok!r} (no single entry to blame)")

    # quilt3 Package.install: bytes in the folder, and Package.verify of the folder.
    dest = work / "matrix-installs" / f"{reg_kind}-{copy}"
    try:
        quilt3.Package.install(name, registry=registry, dest=str(dest / "files"),
                               dest_registry=str(dest / "registry"))
        for lk, (_, _, body) in objects.items():
            f = dest / "files" / lk
            if not f.exists():
                m.fail(reg_kind, copy, lk, "not installed by quilt3 Package.install")
            elif f.read_bytes() != body:
                m.fail(reg_kind, copy, lk, "installed bytes differ")
        installed = quilt3.Package.browse(name, registry=str(dest / "registry"))
        if installed.top_hash != top_hash:
            fail_all(f"installed copy's top hash {installed.top_hash} != {top_hash}")
        if pkg.verify(str(dest / "files")) is not True:
            culprits = []
            for lk, ent in entries.items():
                f = dest / "files" / lk
                got = calculate_multipart_checksum([FileChecksumTask.create(PhysicalKey.from_path(str(f)),
                                                                             ent.size, ent.hash["type"])])[0]
                if got != ent.hash["value"]:
                    culprits.append(lk)
                    m.fail(reg_kind, copy, lk, f"quilt3 hashes the installed file as {got}, manifest has "
                                               f"{ent.hash['value']}")
            if not culprits:
                fail_all("quilt3 Package.verify(installed folder) returned False (no single entry to blame)")
    except Exception as ex:  # noqa: BLE001
        if os.environ.get("QUILT_CROSSCHECK_TRACE"):
            traceback.print_exc()
        fail_all(f"quilt3 Package.install: {type(ex).__name__}: {ex}")
    finally:
        shutil.rmtree(dest, ignore_errors=True)


# --------------------------------------------------------------------------------------------------------------

def main():
    args = parse_args()
    started = time.monotonic()
    work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="quilt3-crosscheck-"))
    work.mkdir(parents=True, exist_ok=True)

    # No inherited AWS_*/QUILT_* reaches quilt3 and boto3 here, or QuiltMcp (which gets an explicit environment).
    scrub_environment()
    moto = None
    try:
        endpoint = args.endpoint
        if not endpoint:
            moto, endpoint = start_moto(args.moto_server, work)
        os.environ.update(aws_environment(endpoint, work))
        # quilt3 keeps its config, cache and local registry under XDG dirs.
        os.environ["QUILT_DISABLE_USAGE_METRICS"] = "true"
        os.environ["QUILT_MINIMIZE_STDOUT"] = "true"
        os.environ["XDG_DATA_HOME"] = str(work / "xdg-data")
        os.environ["XDG_CACHE_HOME"] = str(work / "xdg-cache")
        notes = prepare_quilt3(args, work)
        try:
            import quilt3
            import quilt3.util
        except ImportError as e:
            die(f"quilt3 is not importable ({e}); pass --quilt3-src or --quilt3-git-dir (see this script's header).")
        import boto3

        print(f"quilt3 {getattr(quilt3, '__version__', '?')} from {Path(quilt3.__file__).parent}"
              f"{' (' + notes + ')' if notes else ''}; endpoint {endpoint}"
              f"{' (moto_server started by this script)' if moto else ''}", flush=True)
        s3 = boto3.client("s3", endpoint_url=endpoint)
        child_env = child_environment(endpoint, work)
        mcp = QuiltMcp(quilt_mcp_command(args, child_env), child_env)
        run = uuid.uuid4().hex[:8]
        report = Report()
        if not args.matrix_only:
            run_suite(report, quilt3, s3, mcp, work, run)
            print(f"\nsuite: {report.passed} passed, {len(report.failed)} failed", flush=True)
            for name in report.failed:
                print(f"  failed: {name}")
        matrix = None
        if not args.suite_only:
            matrix = run_matrix(quilt3, s3, mcp, work, run)
    finally:
        stop_moto(moto)

    if not args.keep and not args.work_dir:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"scratch folder: {work}")
    print(f"run time {time.monotonic() - started:.0f}s")
    failed = bool(report.failed)
    if matrix is not None:
        bad = {k: v for k, v in matrix.cells.items() if v}
        for (reg_kind, copy, lk), problems in sorted(bad.items()):
            writer, label = lk.split("/", 1)
            print(f"FAIL cell registry={reg_kind} copy={copy} writer={writer} size={label.removesuffix('.bin')}: "
                  + "; ".join(problems))
        total = len(matrix.cells)
        print(f"quilt3 cross-check: {total - len(bad)} of {total} passed")
        failed = failed or bool(bad)
    sys.exit(1 if failed else 0)


def run_suite(report, quilt3, s3, mcp, work, run):
    src, reg, regu = f"q3x-src-{run}", f"q3x-reg-{run}", f"q3x-regu-{run}"
    for b in (src, reg, regu):
        s3.create_bucket(Bucket=b)
    s3.put_bucket_versioning(Bucket=reg, VersioningConfiguration={"Status": "Enabled"})
    prefix = "data/"
    upload_fixtures(s3, src, prefix)
    objects = fixtures()
    print(f"buckets: {src} (source, unversioned), {reg} (registry, versioned), {regu} (registry, unversioned)")

    # ---- Forward: QuiltMcp writes, quilt3 reads ------------------------------------------------------------------
    meta1 = {"title": "cross-check", "n": 1.5, "big": 12345678901234567890, "tiny": 1e-7, "uni": "ünï 😀",
             "nested": {"b": [1, None, True], "a": ""}}
    created = {}

    def create(tag, name, copy, message, meta):
        def go():
            out = mcp.json("create-from-s3", f"s3://{src}/{prefix}", "--name", name, "--registry", f"s3://{reg}",
                           "--copy", copy, "--message", message, "--meta", json.dumps(meta))
            expect(HEX64.match(out.get("top_hash", "")), f"no top hash in {out}")
            expect_eq(out["entries"], len(objects), "entries")
            created[tag] = out
            return f"{out['top_hash'][:12]}, hashes by step {out.get('hashes_by_step')}"
        return report.check(f"{tag}: QuiltMcp create-from-s3 --copy {copy}", go)

    common = dict(registry=f"s3://{reg}", objects=objects, src_bucket=src, src_prefix=prefix,
                  install_root=work / "installs")
    if create("inplace", "x/y", "none", "in place", meta1):
        check_quilt3_reads(report, quilt3, s3, tag="inplace", name="x/y", created=created["inplace"],
                           copied=False, pkg_meta=meta1, message="in place", **common)
    if create("copy", "x/y-copy", "all", "copied", meta1):
        check_quilt3_reads(report, quilt3, s3, tag="copy", name="x/y-copy", created=created["copy"],
                           copied=True, pkg_meta=meta1, message="copied", **common)

    def mcp_verify(tag, name):
        def go():
            out = mcp.json("verify", name, "--registry", f"s3://{reg}", expect_rc=(0, 1))
            expect(out.get("is_valid") is True, f"QuiltMcp verify: {out.get('problems')}")
            expect_eq(out.get("entries_checked"), len(objects), "entries checked")
        report.check(f"{tag}: QuiltMcp verify of the same package (physical keys decoded as quilt3 does)", go)
    for tag, name in (("inplace", "x/y"), ("copy", "x/y-copy")):
        if tag in created:
            mcp_verify(tag, name)

    if "inplace" in created:
        time.sleep(1.1)  # a new timestamp pointer
        meta2 = {"revision": 2}
        if create("inplace-rev2", "x/y", "none", "second revision", meta2):
            def revisions():
                versions = dict((h, s) for s, h in quilt3.list_package_versions("x/y", registry=f"s3://{reg}"))
                for tag in ("inplace", "inplace-rev2"):
                    expect(created[tag]["top_hash"] in versions, f"{tag} revision not listed: {versions}")
                latest = quilt3.Package.browse("x/y", registry=f"s3://{reg}")
                expect_eq(latest.top_hash, created["inplace-rev2"]["top_hash"], "latest")
                old = quilt3.Package.browse("x/y", registry=f"s3://{reg}", top_hash=created["inplace"]["top_hash"])
                expect_eq(old.meta, meta1, "first revision metadata")
            report.check("inplace-rev2: quilt3 sees both revisions, latest is the second", revisions)

    def listed():
        names = set(quilt3.list_packages(f"s3://{reg}"))
        expect({"x/y", "x/y-copy"} <= names, f"quilt3 list_packages: {sorted(names)}")
    report.check("quilt3 list_packages lists QuiltMcp's packages", listed)

    if "copy" in created:
        def quilt3_on_top():
            pkg = quilt3.Package.browse("x/y-copy", registry=f"s3://{reg}")
            extra = work / "added by quilt3.txt"
            extra.write_bytes(b"a revision made by quilt3 on top of QuiltMcp's")
            pkg.set("added by quilt3.txt", str(extra), meta={"by": "quilt3"})
            pkg.delete("empty.bin")
            pushed = pkg.push("x/y-copy", registry=f"s3://{reg}", message="quilt3 on top")  # no force: conflict check
            out = mcp.json("browse", "x/y-copy", "--registry", f"s3://{reg}")
            expect_eq(out["top_hash"], pushed.top_hash, "QuiltMcp sees quilt3's revision as latest")
            keys = {e["logical_key"] for e in out["entries"]}
            expect("added by quilt3.txt" in keys and "empty.bin" not in keys, "entries after quilt3's revision")
            ver = mcp.json("verify", "x/y-copy", "--registry", f"s3://{reg}", expect_rc=(0, 1))
            expect(ver.get("is_valid") is True, f"QuiltMcp verify: {ver.get('problems')}")
            return pushed.top_hash[:12]
        report.check("copy: quilt3 pushes a revision on top (no force); QuiltMcp browses and verifies it",
                     quilt3_on_top)

    # ---- Reverse: quilt3 writes, QuiltMcp reads ------------------------------------------------------------------
    local = work / "quilt3-files"
    for lk, (body, _, _) in SMALL_OBJECTS.items():
        (local / lk).parent.mkdir(parents=True, exist_ok=True)
        (local / lk).write_bytes(body)
    # Objects already in the registry bucket stay in place (quilt3 hashes them by download), incl. one > 8 MiB;
    # moto lacks the composite checksum on multipart completion, so quilt3 cannot *upload* > 8 MiB there.
    key, body, _, ct = BIG_MULTIPART
    s3.put_object(Bucket=reg, Key="q3data/" + key, Body=body, ContentType=ct)
    s3.put_object(Bucket=reg, Key="q3data/in place+odd é.txt", Body=b"in the registry bucket")
    meta_q = {"made_by": "quilt3", "f": 0.1, "exp": 1e16, "neg": -2.5e-300, "int": 10**20, "s": "куилт 😀",
              "ctrl": "tab\tnl\n", "list": [1, 2.0, None, False]}

    def q3_package(with_s3):
        p = quilt3.Package()
        for lk, (_, meta, _) in SMALL_OBJECTS.items():
            p.set(lk, str(local / lk), meta=meta or None)
        if with_s3:
            p.set_dir("from registry bucket", f"s3://{reg}/q3data/")
        p.set_meta(meta_q)
        return p

    pushed = {}

    def q3_push(tag, name, registry, with_s3):
        def go():
            p = q3_package(with_s3).push(name, registry=registry, message=f"pushed by quilt3 ({tag})", force=True)
            pushed[tag] = p
            return p.top_hash[:12]
        return report.check(f"{tag}: quilt3 push {name} to {registry}", go)

    if q3_push("q3-versioned", "q/z", f"s3://{reg}", True):
        check_quiltmcp_reads(report, mcp, quilt3, s3, work, tag="q3-versioned", name="q/z", registry=f"s3://{reg}")
    if q3_push("q3-unversioned", "q/u", f"s3://{regu}", False):
        check_quiltmcp_reads(report, mcp, quilt3, s3, work, tag="q3-unversioned", name="q/u",
                             registry=f"s3://{regu}")

    local_reg = work / "local-registry"

    def q3_build():
        p = q3_package(False)
        p.build("q/local", registry=str(local_reg), message="built by quilt3")
        return p.top_hash[:12]
    if report.check("q3-local: quilt3 build q/local to a local registry (file:// keys)", q3_build):
        check_quiltmcp_reads(report, mcp, quilt3, s3, work, tag="q3-local", name="q/local", registry=str(local_reg))

        def tamper():
            victim = local / "plain.txt"
            original = victim.read_bytes()
            victim.write_bytes(b"J" + original[1:])
            try:
                out = mcp.json("verify", "q/local", "--registry", str(local_reg), expect_rc=(0, 1))
                expect(out.get("is_valid") is False, "QuiltMcp verify did not notice a changed file")
                expect(any("plain.txt" in p for p in out.get("problems", [])), f"problems: {out.get('problems')}")
            finally:
                victim.write_bytes(original)
        report.check("q3-local: QuiltMcp verify catches a changed byte", tamper)


if __name__ == "__main__":
    main()
