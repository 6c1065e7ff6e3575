#!/usr/bin/env python3
"""The peer side of bench-peer.sh: Loro (PyPI `loro`, a Rust CRDT library) doing bench-sync's
workload in memory, unsigned, with no disk and no network.

WORKSPACES documents (default 10) each make EDITS edits (default 10,000) as fieldbook-bench sync
does: a map per risk holding five fields (title, likelihood, impact, a link set of
requirements, status), one commit per edit. Then, timed: every document exports its updates
and every document imports all the others', until each holds everything. Prints one line
`loro: converged in S s` that bench-peer.sh reads, beside the untimed edit phase.
"""
import os
import sys
import time

try:
    import loro
    from loro import ExportMode, LoroDoc, LoroMap, VersionVector
except ImportError:
    sys.exit("bench-peer: the Python module loro is missing; python3 -m pip install loro==1.17.1")

WORKSPACES = int(os.environ.get("WORKSPACES", "10"))
EDITS = int(os.environ.get("EDITS", "10000"))


def make(index: int) -> LoroDoc:
    """Document `index` after its edits, as fieldbook-bench sync makes workspace `index`'s."""
    doc = LoroDoc()
    doc.peer_id = index + 1
    risks = doc.get_map("risks")
    for step in range(EDITS):
        key = "0193f%03d-0000-7000-8000-%012d" % (index, step // 5)
        risk = risks.get_or_create_container(key, LoroMap())
        field = step % 5
        if field == 0:
            risk.insert("title", "Risk %d-%d" % (index, step // 5))
        elif field == 1:
            risk.insert("likelihood", step % 5 + 1)
        elif field == 2:
            risk.insert("impact", 3)
        elif field == 3:
            links = risk.get_or_create_container("requirements", LoroMap())
            links.insert("iso42001:A.6.2.4", True)
        else:
            risk.insert("status", "open")
        doc.commit()
    return doc


def main() -> None:
    started = time.perf_counter()
    docs = [make(index) for index in range(WORKSPACES)]
    made = time.perf_counter() - started
    total = WORKSPACES * EDITS
    print(f"loro {loro.LORO_VERSION if hasattr(loro, 'LORO_VERSION') else ''}: {WORKSPACES} documents x {EDITS} edits = {total} edits "
          f"(made in {made:.2f} s, not timed)")

    started = time.perf_counter()
    updates = [doc.export(ExportMode.Updates(VersionVector())) for doc in docs]
    for index, doc in enumerate(docs):
        doc.import_batch([blob for other, blob in enumerate(updates) if other != index])
    seconds = time.perf_counter() - started

    values = [doc.get_deep_value() for doc in docs]
    converged = all(value == values[0] for value in values) and len(values[0]["risks"]) == total // 5
    moved = sum(len(blob) for blob in updates) * (WORKSPACES - 1)
    print(f"  converged: {'yes' if converged else 'NO'}; {moved / (total * (WORKSPACES - 1)):.1f} bytes per edit moved")
    print(f"loro: converged in {seconds:.2f} s")
    if not converged:
        sys.exit(1)


if __name__ == "__main__":
    main()
