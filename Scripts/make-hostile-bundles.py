#!/usr/bin/env python3
"""Writes the hostile bundle variants of Fixtures/hostile/bundles/ from two good bundles.

Usage: make-hostile-bundles.py GOOD_BINARY GOOD_JSON OUT_DIR [GOOD_SEALED]

GOOD_BINARY and GOOD_JSON are bundles of one engagement with at least one change and one
evidence file, written by the real binary (GOOD_JSON with FIELDBOOK_BUNDLE_CHANGES=json).
HostileInputTests makes them at test time and runs this script, so the variants follow the
current format; each OUT_DIR/<name>.fbbundle is imported by Fixtures/hostile/bundles/<name>.json,
which says what the refusal must be. Where an attack would otherwise be caught by the end hash
alone, the hash is recomputed so the reader's deeper checks are the ones exercised. Sparse files
take no disk space. Standard library only; complements Scripts/make-bad-bundles.py.

GOOD_SEALED, when given, is a bundle sealed (bundle export --recipient) for the identity the
import runs with and for its sender, in that order, spanning at least three 64 KiB chunks; the
sealed-* variants damage its header, key block and chunks (docs/bundle-format.md, "Sealed
bundles"). Without a cipher in the standard library, nothing is re-encrypted: where a check is
to be passed on the way to a deeper one, only the unkeyed header checksum is recomputed.
"""
import hashlib, json, os, struct, sys

GIB = 1 << 30
VERSION = [1]  # the good bundle's file format, kept by every variant unless one says otherwise


def records(data):
    assert data[:8] == b"FBBUNDLE", "not a bundle"
    pos, out = 12, []
    while pos < len(data):
        kind, length = data[pos:pos + 1], struct.unpack(">Q", data[pos + 1:pos + 9])[0]
        out.append([kind, data[pos + 9:pos + 9 + length]])
        pos += 9 + length
    return out


def record(kind, payload, length=None):
    return kind + struct.pack(">Q", len(payload) if length is None else length) + payload


def assemble(recs, version=None, fix_hash=True):
    """The records (without their end record) and a fresh end record over them."""
    body = b"FBBUNDLE" + struct.pack(">I", VERSION[0] if version is None else version)
    for kind, payload in recs:
        if kind != b"E":
            body += record(kind, payload)
    prefix = b"E" + struct.pack(">Q", 32)
    return body + prefix + (hashlib.sha256(body + prefix).digest() if fix_hash else bytes(32))


def without_end(recs):
    return [list(r) for r in recs if r[0] != b"E"]


def index(recs, kind):
    return next(i for i, r in enumerate(recs) if r[0] == kind)


def header_of(recs):
    return json.loads(recs[index(recs, b"H")][1])


def with_header(recs, change):
    """The records with the header JSON edited by `change` (a function of the dict)."""
    recs = without_end(recs)
    h = index(recs, b"H")
    header = json.loads(recs[h][1])
    change(header)
    recs[h][1] = json.dumps(header, sort_keys=True).encode()
    return recs


def replace_string(payload, old, new):
    """Replaces one length-prefixed string of a binary change batch's string table."""
    needle = bytes([len(old)]) + old
    at = payload.find(needle)
    assert at >= 0, "no string %r in the batch" % old
    return payload[:at] + bytes([len(new)]) + new + payload[at + len(needle):]


def main():
    binary_path, json_path, out = sys.argv[1:4]
    good = open(binary_path, "rb").read()
    good_json = open(json_path, "rb").read()
    recs, jrecs = records(good), records(good_json)
    VERSION[0] = struct.unpack(">I", good[8:12])[0]
    c, o = index(recs, b"C"), index(recs, b"O")
    jc = index(jrecs, b"C")
    site = header_of(recs)["sender"]["site"]
    other_site = "7b0d6e2c-1111-4111-8111-111111111111"
    os.makedirs(out, exist_ok=True)
    written = []

    def write(name, data):
        with open(os.path.join(out, name + ".fbbundle"), "wb") as f:
            f.write(data)
        written.append(name)

    def edited(recs, i, payload):
        recs = without_end(recs)
        recs[i][1] = payload
        return recs

    def json_batch(change):
        batch = json.loads(jrecs[jc][1])
        change(batch)
        return batch

    # The file and its fixed parts.
    write("zero-length", b"")
    write("mark-only", b"FBBUNDLE")
    write("format-zero", assemble(without_end(recs), version=0))
    write("bytes-after-end", good + b"x")
    write("missing-end-record", good[:12] + b"".join(record(k, p) for k, p in without_end(recs)))
    write("end-record-wrong-length", good[:-41] + record(b"E", good[-32:] + b"\0", 33))

    # Record lengths that overflow Int, or lie about the bytes that follow.
    prefix = good[:12]
    header = record(b"H", recs[index(recs, b"H")][1])
    write("header-length-overflows-int", prefix + b"H" + struct.pack(">Q", (1 << 63) + 5) + b"{}")
    write("change-length-overflows-int", prefix + header + b"C" + struct.pack(">Q", (1 << 64) - 1) + b"\x02")
    write("object-length-overflows-int", prefix + header + b"O" + struct.pack(">Q", (1 << 64) - 1) + b"0" * 64)
    write("object-length-below-name", prefix + header + record(b"O", b"0" * 10))
    write("end-length-overflows-int", prefix + header + b"E" + struct.pack(">Q", (1 << 64) - 1) + bytes(32))
    obj = recs[o][1]
    write("object-declares-60-gib", prefix + header + b"O" + struct.pack(">Q", 64 + 60 * GIB) + obj)
    write("empty-change-record", assemble(edited(recs, c, b"")))

    # Record order and kinds.
    write("unknown-record-type", assemble(without_end(recs)[:1] + [[b"Z", b"zzz"]] + without_end(recs)[1:]))
    reordered = without_end(recs)
    reordered[0], reordered[c] = reordered[c], reordered[0]
    write("changes-before-header", assemble(reordered))
    write("second-header", assemble(without_end(recs)[:1] + without_end(recs)))

    # A header that lies, with the end hash right.
    write("header-lies-change-count", assemble(with_header(recs, lambda h: h.update(change_count=h["change_count"] + 1))))
    write("header-lies-object-count", assemble(with_header(recs, lambda h: h.update(object_count=h["object_count"] + 1))))
    write("header-change-count-negative", assemble(with_header(recs, lambda h: h.update(change_count=-1))))
    write("header-change-count-huge", assemble(with_header(recs, lambda h: h.update(change_count=(1 << 63) - 1))))
    write("header-format-2-32", assemble(with_header(recs, lambda h: h.update(format=1 << 32))))
    write("header-engagement-traversal", assemble(with_header(recs, lambda h: h.update(engagement="../../../etc"))))
    write("header-engagement-dotdot", assemble(with_header(recs, lambda h: h.update(engagement=".."))))
    write("header-sender-site-10k", assemble(with_header(recs, lambda h: h["sender"].update(site="s" * 10000))))
    write("header-vector-counter-overflow",
          assemble(with_header(recs, lambda h: h.update(vector={other_site: {"c": (1 << 64) - 1, "x": [1]}}))))
    write("header-vector-huge-counter", assemble(with_header(recs, lambda h: h["vector"].update({other_site: {"c": 10 ** 15}}))))
    h = index(recs, b"H")
    write("header-deeply-nested", assemble(edited(recs, h, b"[" * 100000)))
    write("header-invalid-utf8", assemble(edited(recs, h, recs[h][1].replace(b'"engagement_name":"', b'"engagement_name":"\xff\xfe', 1))))
    write("header-oversized", prefix + b"H" + struct.pack(">Q", (1 << 20) + 1) + b" " * ((1 << 20) + 1))

    # Duplicated records: the header counts one of each.
    dup = without_end(recs)
    write("duplicate-change-record", assemble(dup[:c + 1] + [list(dup[c])] + dup[c + 1:]))
    write("duplicate-object-record", assemble(dup[:o + 1] + [list(dup[o])] + dup[o + 1:]))

    # Evidence records named by something other than a lowercase SHA-256.
    name, contents = obj[:64], obj[64:]
    write("object-name-uppercase", assemble(edited(recs, o, name.upper() + contents)))
    write("object-name-invalid-utf8", assemble(edited(recs, o, b"\xff" * 64 + contents)))
    write("object-name-nul-bytes", assemble(edited(recs, o, b"\0" * 64 + contents)))
    write("object-name-other-hash", assemble(edited(recs, o, hashlib.sha256(b"other").hexdigest().encode() + contents)))

    # Change records: binary (format 2), mutated in place.
    batch = recs[c][1]
    write("binary-batch-truncated", assemble(edited(recs, c, batch[:-7])))
    write("binary-batch-unknown-kind", assemble(edited(recs, c, replace_string(batch, b"result", b"rezult"))))
    write("binary-batch-invalid-utf8", assemble(edited(recs, c, replace_string(batch, b"Ana", b"\xff\xfe\xc0"))))
    write("binary-batch-future-format", assemble(edited(recs, c, bytes([batch[0] + 1]) + batch[1:])))
    write("binary-batch-count-out-of-range", assemble(edited(recs, c, b"\x02\x00\x01" + b"\xff" * 8 + b"\x7f")))

    # Change records: JSON (format 1), edited as text.
    jbatch = jrecs[jc][1]
    write("json-batch-deeply-nested", assemble(edited(jrecs, jc, b'{"format":1,"changes":' + b"[" * 100000)))
    first = json.loads(jbatch)["changes"][0]
    huge_hlc = jbatch.replace(b'"h":%d' % first["h"], b'"h":1e400', 1)
    assert huge_hlc != jbatch
    write("json-batch-number-1e400", assemble(edited(jrecs, jc, huge_hlc)))
    author = json.dumps(first["a"]).encode()
    write("json-batch-invalid-utf8", assemble(edited(jrecs, jc, jbatch.replace(b'"a":' + author, b'"a":"\xff\xfe"', 1))))
    write("json-batch-10mb-value",
          assemble(edited(jrecs, jc, json.dumps(json_batch(lambda b: b["changes"][0].update(v={"t": "a" * (10 << 20)}))).encode())))
    write("json-batch-unknown-kind",
          assemble(edited(jrecs, jc, json.dumps(json_batch(lambda b: b["changes"][0].update(k="spaceship"))).encode())))
    write("json-batch-counter-2-64",
          assemble(edited(jrecs, jc, json.dumps(json_batch(lambda b: b["changes"][0].update(d=first["d"].rsplit("/", 1)[0] + "/18446744073709551616"))).encode())))

    # Huge sparse files (no disk space used): a 4 GiB hole after the end record, and a change
    # record of the largest allowed size (64 MiB) that is all hole.
    path = os.path.join(out, "sparse-trailing-4-gib.fbbundle")
    with open(path, "wb") as f:
        f.write(good)
        f.truncate(len(good) + 4 * GIB)
    written.append("sparse-trailing-4-gib")
    path = os.path.join(out, "sparse-change-record-64-mib.fbbundle")
    with open(path, "wb") as f:
        f.write(prefix + header + b"C" + struct.pack(">Q", 64 << 20))
        f.truncate(len(prefix + header) + 9 + (64 << 20))
    written.append("sparse-change-record-64-mib")

    if len(sys.argv) > 4:
        sealed_variants(open(sys.argv[4], "rb").read(), write)

    assert site  # the good bundle names its sender
    print("wrote", len(written), "hostile bundles to", out)


SEALED_STANZA, SEALED_CHUNK = 80, 65536 + 16


def sealed_variants(good, write):
    """Damaged variants of a sealed bundle: mark, version, recipient count, key block, MAC, chunks."""
    assert good[:8] == b"FBSEALED", "not a sealed bundle"
    count = struct.unpack(">H", good[12:14])[0]
    stanzas = 14 + count * SEALED_STANZA  # the checksum starts here, then the MAC, the salt, the chunks
    first = stanzas + 32 + 32 + 16
    chunks = [good[i:i + SEALED_CHUNK] for i in range(first, len(good), SEALED_CHUNK)]
    assert count == 2 and len(chunks) >= 3, "the good sealed bundle has two recipients and three chunks"

    def flipped(data, offset, bit=0x01):
        return data[:offset] + bytes([data[offset] ^ bit]) + data[offset + 1:]

    def checksum_fixed(data):
        """The header checksum recomputed, so the keyed checks behind it are the ones reached."""
        return data[:stanzas] + hashlib.sha256(data[:stanzas]).digest() + data[stanzas + 32:]

    def body(parts):
        return good[:first] + b"".join(parts)

    # The fixed start.
    write("sealed-mark-only", b"FBSEALED")
    write("sealed-version-2", good[:8] + struct.pack(">I", 2) + good[12:])
    write("sealed-version-2-32-minus-1", good[:8] + struct.pack(">I", (1 << 32) - 1) + good[12:])
    write("sealed-version-0", good[:8] + struct.pack(">I", 0) + good[12:])
    # Recipient counts: none, over the limit (refused before a stanza is read), more than the file holds.
    for name, declared in [("zero", 0), ("257", 257), ("65535", 65535)]:
        write("sealed-recipients-" + name, good[:12] + struct.pack(">H", declared) + good[14:])
    write("sealed-recipients-beyond-file", good[:12] + struct.pack(">H", 256) + good[14:stanzas])
    # The key block: damage (the checksum), a stanza rewritten (the checksum made right again).
    write("sealed-stanza-flipped", flipped(good, 14 + 5))
    write("sealed-checksum-flipped", flipped(good, stanzas + 3))
    write("sealed-own-stanza-rewritten", checksum_fixed(flipped(good, 14 + 40)))
    write("sealed-other-stanza-rewritten", checksum_fixed(flipped(good, 14 + SEALED_STANZA + 40)))
    # A third stanza, a copy of the first, with a checksum over the longer block: the MAC refuses it.
    longer = good[:12] + struct.pack(">H", 3) + good[14:stanzas] + good[14:14 + SEALED_STANZA]
    write("sealed-stanza-duplicated", longer + hashlib.sha256(longer).digest() + good[stanzas + 32:])
    write("sealed-mac-flipped", flipped(good, stanzas + 32 + 7))
    write("sealed-salt-flipped", flipped(good, stanzas + 64 + 1))
    # Chunks: flipped bytes (ciphertext and tag), cuts at and between boundaries, order.
    write("sealed-first-chunk-flipped", flipped(good, first + 10))
    write("sealed-middle-chunk-tag-flipped", flipped(good, first + 2 * SEALED_CHUNK - 1))
    write("sealed-last-chunk-flipped", flipped(good, len(good) - 20))
    write("sealed-cut-after-header", good[:first])
    write("sealed-cut-at-chunk-1", good[:first + SEALED_CHUNK])
    write("sealed-cut-at-last-chunk", good[:first + (len(chunks) - 1) * SEALED_CHUNK])
    write("sealed-cut-inside-chunk", good[:first + SEALED_CHUNK + 1000])
    write("sealed-cut-inside-tag", good[:len(good) - 5])
    write("sealed-chunks-swapped", body([chunks[1], chunks[0]] + chunks[2:]))
    write("sealed-chunk-dropped", body([chunks[0]] + chunks[2:]))
    write("sealed-chunk-repeated", body(chunks[:2] + chunks[1:]))
    write("sealed-last-chunk-moved-first", body([chunks[-1]] + chunks[:-1]))
    write("sealed-trailing-byte", good + b"\0")
    # A 4 GiB hole after the last chunk (no disk space used): refused at the last chunk, not read through.
    write("sealed-sparse-trailing-4-gib", good)
    with open(os.path.join(sys.argv[3], "sealed-sparse-trailing-4-gib.fbbundle"), "r+b") as f:
        f.truncate(len(good) + 4 * GIB)


if __name__ == "__main__":
    main()
