#!/usr/bin/env python3
"""Validates an OSCAL assessment-results JSON document against NIST's schema.

Usage: validate-oscal.py DOCUMENT [SCHEMA]   (SCHEMA defaults to Fixtures/oscal/...)
Needs the jsonschema and regex modules (pip install jsonschema regex): the schema's token
pattern uses \\p{L}, which Python's re cannot compile. Prints the error count and each error;
exits 1 when there is any.
"""
import json, os, sys
import regex
from jsonschema import Draft7Validator, ValidationError, validators

here = os.path.dirname(os.path.abspath(__file__))
schema_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "Fixtures", "oscal", "oscal_assessment-results_schema.json")

def pattern(validator, expected, instance, schema):
    if validator.is_type(instance, "string") and not regex.search(expected, instance):
        yield ValidationError(f"{instance!r} does not match {expected!r}")

Validator = validators.extend(Draft7Validator, {"pattern": pattern})
schema = json.load(open(schema_path))
document = json.load(open(sys.argv[1]))
errors = list(Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER).iter_errors(document))
print(len(errors), "errors")
for error in errors[:50]:
    print(list(error.absolute_path), error.message[:300])
sys.exit(1 if errors else 0)
