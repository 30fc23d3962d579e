#!/usr/bin/env python3
"""Cross-check QuiltMcp against the real quilt3 library on an S3-compatible server (e.g. moto).

Forward: QuiltMcp `create-from-s3` packages a prefix of awkward objects (odd keys, user metadata, an empty
object, objects above the 8 MiB chunk size), in place and with copies; quilt3 then browses, reads, verifies,
installs and re-hashes them, and pushes a revision on top.
Reverse: quilt3 builds and pushes packages; QuiltMcp browses, verifies and top-hashes them.

Prints one PASS/FAIL line per check and exits 1 if any check failed, 2 if it could not run at all.
Needs quilt3 importable (it is not a dependency of this repository) and boto3.

    moto_server -H 127.0.0.1 -p 5123 &
    python3 scripts/quilt3_crosscheck.py --endpoint http://127.0.0.1:5123
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
    p.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"),
                   help="S3 endpoint URL (default: $AWS_ENDPOINT_URL_S3 or $AWS_ENDPOINT_URL). Required.")
    p.add_argument("--quilt-mcp", default=None,
                   help="Command that runs QuiltMcp, e.g. 'quilt-mcp' "
                        "(default: build src/QuiltMcp in Release once, then run its dll with dotnet).")
    p.add_argument("--no-build", action="store_true", help="Do not build src/QuiltMcp first.")
    p.add_argument("--work-dir", default=None, help="Scratch folder (default: a new temporary folder).")
    p.add_argument("--keep", action="store_true", help="Keep the scratch folder.")
    return p.parse_args()


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

def main():
    args = parse_args()
    if not args.endpoint:
        print("error: no S3 endpoint; pass --endpoint http://127.0.0.1:PORT (moto_server) "
              "or set AWS_ENDPOINT_URL_S3.", file=sys.stderr)
        sys.exit(2)
    work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="quilt3-crosscheck-"))
    work.mkdir(parents=True, exist_ok=True)

    # Both tools read these; quilt3 also keeps its config, cache and local registry under XDG dirs.
    os.environ["AWS_ENDPOINT_URL"] = args.endpoint
    os.environ["AWS_ENDPOINT_URL_S3"] = args.endpoint
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    os.environ.setdefault("AWS_REGION", "us-east-1")
    os.environ.setdefault("AWS_DEFAULT_REGION", os.environ["AWS_REGION"])
    os.environ["QUILT_DISABLE_USAGE_METRICS"] = "true"
    os.environ["QUILT_MINIMIZE_STDOUT"] = "true"
    os.environ["XDG_DATA_HOME"] = str(work / "xdg-data")
    os.environ["XDG_CACHE_HOME"] = str(work / "xdg-cache")

    try:
        import quilt3
        import quilt3.util
    except ImportError as e:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
        print(f"error: quilt3 is not importable ({e}).\n"
              "Install it (pip install quilt3) or put its source on PYTHONPATH "
              "(see README, 'Cross-check with quilt3').", file=sys.stderr)
        sys.exit(2)
    import boto3

    print(f"quilt3 {getattr(quilt3, '__version__', '?')} from {Path(quilt3.__file__).parent}; endpoint {args.endpoint}")
    s3 = boto3.client("s3", endpoint_url=args.endpoint)
    mcp = QuiltMcp(quilt_mcp_command(args, dict(os.environ)), dict(os.environ))
    report = Report()
    run = uuid.uuid4().hex[:8]
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

    print(f"\n{report.passed} passed, {len(report.failed)} failed")
    for name in report.failed:
        print(f"  failed: {name}")
    if not args.keep and not args.work_dir:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"scratch folder: {work}")
    sys.exit(1 if report.failed else 0)


if __name__ == "__main__":
    main()
