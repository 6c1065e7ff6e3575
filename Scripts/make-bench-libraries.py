#!/usr/bin/env python3
"""Writes libraries the size of CISO Assistant's SCF 2025 (1,375 requirements under 33
domains) and NIST CSF 2.0 (6 functions, 22 categories, 106 subcategories), with an
ISO/IEC 42001 <-> SCF mapping library of 358 rows each way and a CSF <-> SCF one of 1,400,
in CISO Assistant's YAML format: the shape of the libraries an outside check measured
`fieldbook status` on (their text is made up; only the sizes matter).

Usage: make-bench-libraries.py FOLDER"""
import random
import sys
from pathlib import Path

random.seed(7)
out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
words = "governance risk data model change access monitoring incident supplier privacy training asset".split()


def text(n):
    return " ".join(random.choice(words) for _ in range(n))


def framework(key, name, nodes):
    lines = [f"urn: urn:bench:risk:library:{key}", "locale: en", f"ref_id: {key}", f"name: {name}",
             f"description: {text(12)}", "copyright: made up for a benchmark", "version: 1", "provider: bench",
             "objects:", "  framework:", f"    urn: urn:bench:risk:framework:{key}", f"    ref_id: {key}",
             f"    name: {name}", "    requirement_nodes:"]
    for urn, parent, ref, assessable, depth in nodes:
        lines += [f"    - urn: {urn}", f"      assessable: {'true' if assessable else 'false'}", f"      depth: {depth}"]
        if parent:
            lines.append(f"      parent_urn: {parent}")
        lines += [f"      ref_id: {ref}", f"      name: {text(5)}", f"      description: {text(40)}"]
    (out / f"{key}.yaml").write_text("\n".join(lines) + "\n")


scf, scf_leaves = [], []
for d in range(33):
    domain = f"urn:bench:risk:req_node:scf:d{d}"
    scf.append((domain, None, f"D{d:02d}", False, 1))
    for r in range(1375 // 33 + (1 if d < 1375 % 33 else 0)):
        urn = f"urn:bench:risk:req_node:scf:d{d}-{r}"
        scf.append((urn, domain, f"D{d:02d}-{r:02d}", True, 2))
        scf_leaves.append(urn)
framework("scf", "Secure Controls Framework (bench)", scf)

csf, csf_leaves = [], []
for f in range(6):
    function = f"urn:bench:risk:req_node:csf:f{f}"
    csf.append((function, None, f"F{f}", False, 1))
    for c in range(4 if f < 4 else 3):
        category = f"{function}.c{c}"
        csf.append((category, function, f"F{f}.C{c}", False, 2))
        for s in range(5):
            urn = f"{category}-{s}"
            csf.append((urn, category, f"F{f}.C{c}-{s:02d}", True, 3))
            csf_leaves.append(urn)
framework("csf", "Cybersecurity Framework (bench)", csf)

iso_nodes = ["4.1", "4.2", "5.2", "6.1", "6.2", "7.2", "8.2", "9.2", "10.2"] + [f"a.{a}.{b}" for a in range(2, 11) for b in range(2, 5)]


def mapping(key, source, target, pairs):
    lines = [f"urn: urn:bench:risk:library:{key}", "locale: en", f"ref_id: {key}", f"name: {key}", "version: 1",
             "provider: bench", "objects:", "  requirement_mapping_sets:"]
    for direction, (src, tgt, rows) in enumerate([(source, target, pairs), (target, source, [(b, a) for a, b in pairs])]):
        lines += [f"  - urn: urn:bench:risk:req_mapping_set:{key}-{direction}", f"    ref_id: {key}-{direction}",
                  f"    name: {key} {direction}", f"    source_framework_urn: {src}", f"    target_framework_urn: {tgt}",
                  "    requirement_mappings:"]
        for a, b in rows:
            lines += [f"    - source_requirement_urn: {a}", f"      target_requirement_urn: {b}",
                      f"      relationship: {random.choice(['equal', 'subset', 'superset', 'intersect'])}"]
    (out / f"{key}.yaml").write_text("\n".join(lines) + "\n")


iso = "urn:intuitem:risk:framework:iso42001-2023"
mapping("mapping-iso-scf", iso, "urn:bench:risk:framework:scf",
        [(f"urn:intuitem:risk:req_node:iso42001-2023:{random.choice(iso_nodes)}", random.choice(scf_leaves)) for _ in range(358)])
mapping("mapping-csf-scf", "urn:bench:risk:framework:csf", "urn:bench:risk:framework:scf",
        [(random.choice(csf_leaves), random.choice(scf_leaves)) for _ in range(1400)])
print("\n".join(str(p) for p in sorted(out.glob("*.yaml"))))
