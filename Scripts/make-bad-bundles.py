#!/usr/bin/env python3
"""Writes the hostile bundle fixtures of Fixtures/bad-bundles/ from one good bundle.

Usage: make-bad-bundles.py GOOD_BUNDLE OTHER_ENGAGEMENT_BUNDLE OUT_DIR

The good bundle must belong to engagement 'fixture-engagement' and carry at least one
evidence file. Each variant is what an attacker or a damaged USB stick could produce; where
the attack would otherwise be caught by the end hash alone, the hash is recomputed so the
reader's deeper checks are the ones exercised. Standard library only.
"""
import hashlib, json, os, shutil, struct, sys

def records(data):
    assert data[:8] == b"FBBUNDLE"
    pos, out = 12, []
    while pos < len(data):
        kind, length = data[pos:pos + 1], struct.unpack(">Q", data[pos + 1:pos + 9])[0]
        out.append([kind, data[pos + 9:pos + 9 + length]])
        pos += 9 + length
    return out

def assemble(version, recs, fix_hash=True):
    body = b"FBBUNDLE" + struct.pack(">I", version)
    for kind, payload in recs:
        if kind == b"E":
            continue
        body += kind + struct.pack(">Q", len(payload)) + payload
    end_prefix = b"E" + struct.pack(">Q", 32)
    digest = hashlib.sha256(body + end_prefix).digest() if fix_hash else bytes(32)
    return body + end_prefix + digest

def main():
    good_path, other_path, out = sys.argv[1:4]
    good = open(good_path, "rb").read()
    recs = records(good)
    os.makedirs(out, exist_ok=True)
    def write(name, data):
        open(os.path.join(out, name), "wb").write(data)

    shutil.copy(good_path, os.path.join(out, "good.fbbundle"))
    write("truncated.fbbundle", good[: len(good) // 2])
    flipped = bytearray(good)
    flipped[len(good) // 3] ^= 0x20
    write("flipped-byte.fbbundle", bytes(flipped))
    shutil.copy(other_path, os.path.join(out, "wrong-engagement.fbbundle"))

    # A newer format, announced both in the file's version field and in the header.
    header = json.loads(recs[0][1])
    header["format"] = 99
    future = [[b"H", json.dumps(header, sort_keys=True).encode()]] + recs[1:]
    write("future-format.fbbundle", assemble(99, future))

    # An evidence file whose bytes do not match its SHA-256, end hash recomputed.
    obj = next(i for i, r in enumerate(recs) if r[0] == b"O")
    mismatch = [list(r) for r in recs]
    mismatch[obj][1] = mismatch[obj][1][:64] + b"forged contents"
    write("hash-mismatch.fbbundle", assemble(1, mismatch))

    # An evidence record named like a path instead of a SHA-256, end hash recomputed.
    traversal = [list(r) for r in recs]
    name = b"../../../../../../tmp/fieldbook-escape".ljust(64, b"/")
    traversal[obj][1] = name + traversal[obj][1][64:]
    write("path-traversal.fbbundle", assemble(1, traversal))

    # A change record that declares an absurd length.
    huge = bytearray(good)
    change = 12
    while huge[change:change + 1] != b"C":
        change += 9 + struct.unpack(">Q", bytes(huge[change + 1:change + 9]))[0]
    huge[change + 1:change + 9] = struct.pack(">Q", 1 << 60)
    write("huge-declared-length.fbbundle", bytes(huge))

    # A change of an unknown entity kind, end hash recomputed.
    unknown = [list(r) for r in recs]
    batch = json.loads(unknown[1][1])
    batch["changes"][0]["k"] = "spaceship"
    unknown[1][1] = json.dumps(batch, sort_keys=True).encode()
    write("unknown-kind.fbbundle", assemble(1, unknown))

    # A valid-looking change with a value outside the schema (maturity 9), end hash recomputed.
    invalid = [list(r) for r in recs]
    batch = json.loads(invalid[1][1])
    first = batch["changes"][0]
    batch["changes"].append({**first, "d": first["d"].rsplit("/", 1)[0] + "/999", "e": "result:nist-ai-rmf:GOVERN-1.1",
                             "k": "result", "f": "maturity", "v": {"i": 9}, "s": []})
    invalid[1][1] = json.dumps(batch, sort_keys=True).encode()
    header = json.loads(invalid[0][1])
    header["change_count"] += 1
    invalid[0][1] = json.dumps(header, sort_keys=True).encode()
    write("invalid-value.fbbundle", assemble(1, invalid))

    write("not-a-bundle.fbbundle", b"PK\x03\x04 this is a zip file, not a bundle")
    write("empty.fbbundle", b"")
    print("wrote", len(os.listdir(out)), "fixtures to", out)

if __name__ == "__main__":
    main()
