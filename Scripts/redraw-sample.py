#!/usr/bin/env python3
"""Redraw a Fieldbook sampled test's items from its population file and seed, without Fieldbook.

    python3 Scripts/redraw-sample.py POPULATION.csv SEED SIZE

prints the population file's SHA-256, its row count, then the rows drawn in the order drawn
(row number as a spreadsheet numbers it, the header being row 1, and the first column).
The method, splitmix64-fisher-yates, is stated in docs/sampling.md; this is an independent
implementation of it (Python's csv module, not Fieldbook's reader), used by the tests too.
"""
import csv
import hashlib
import io
import sys

MASK = (1 << 64) - 1


def splitmix64(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def below(generator, bound):
    threshold = ((1 << 64) - bound) % bound
    while True:
        x = next(generator)
        if x >= threshold:
            return x % bound


def population(data):
    text = data.decode("utf-8-sig")
    rows = []
    # Rows numbered as a spreadsheet numbers them: a record per row, quoted line breaks inside.
    for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if number == 1:
            continue
        if any(cell != "" for cell in record):
            rows.append((number, record[0] if record else ""))
    return rows


def draw(rows, size, seed):
    generator = splitmix64(seed)
    order = list(range(len(rows)))
    for i in range(size):
        j = i + below(generator, len(rows) - i)
        order[i], order[j] = order[j], order[i]
    return [rows[k] for k in order[:size]]


def main():
    path, seed, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    data = open(path, "rb").read()
    rows = population(data)
    print(hashlib.sha256(data).hexdigest())
    print(len(rows))
    for number, key in draw(rows, size, seed):
        print(f"{number}\t{key}")


if __name__ == "__main__":
    main()
