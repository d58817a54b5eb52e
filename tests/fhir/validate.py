"""Validates FHIR R4 JSON with an independent implementation: the `fhir.resources` models
(R4B, whose AuditEvent, Patient, DocumentReference, DiagnosticReport, Observation and Provenance
match R4's), installed by scripts/setup.sh into .deps/fhir-venv.

Usage: validate.py FILE [EXPECTED_RESOURCE_TYPE ...]
FILE holds a Bundle. The Bundle and every resource in it are parsed by their model; the resource
types found are printed, one line each, as "TYPE COUNT". Exit status 1 names the first problem."""

import collections
import json
import sys

from fhir.resources.R4B import get_fhir_model_class


def main() -> int:
    path, expected = sys.argv[1], set(sys.argv[2:])
    with open(path, encoding="utf-8") as f:
        bundle = json.load(f)
    if bundle.get("resourceType") != "Bundle":
        print(f"not a Bundle: {bundle.get('resourceType')!r}", file=sys.stderr)
        return 1
    try:
        get_fhir_model_class("Bundle").model_validate(bundle)
    except Exception as e:
        print(f"the Bundle is not valid FHIR: {e}", file=sys.stderr)
        return 1
    counts = collections.Counter()
    for i, entry in enumerate(bundle.get("entry", [])):
        resource = entry["resource"]
        kind = resource["resourceType"]
        try:
            get_fhir_model_class(kind).model_validate(resource)
        except Exception as e:  # the model's message names the field
            print(f"entry {i} ({kind}) is not valid FHIR: {e}", file=sys.stderr)
            return 1
        counts[kind] += 1
    missing = expected - set(counts)
    if missing:
        print(f"no resource of type {sorted(missing)}", file=sys.stderr)
        return 1
    for kind, n in sorted(counts.items()):
        print(kind, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
