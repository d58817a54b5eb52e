#!/usr/bin/env python3
"""Writes PROVENANCE.md from manifest.json: each corpus file's source, licence and checksum.

Run from anywhere: `python3 tests/corpus/provenance.py`. A test checks that the file is current.
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent


def render(manifest):
    lines = [
        "# Provenance of the test corpus",
        "",
        "Real public files, copied byte for byte from public repositories (see `SOURCES.md` for how",
        "they were chosen and what `expect` means). Written by `provenance.py` from `manifest.json`;",
        "do not edit by hand.",
        "",
        "| file | expect | source | licence | sha256 |",
        "|---|---|---|---|---|",
    ]
    for e in sorted(manifest, key=lambda e: e["path"]):
        src = e["source"]
        where = f"{src['repo']} `{src['path']}` @ {src['commit'][:7]}"
        licence = src["licence"].replace("|", "/")
        lines.append(f"| `{e['path']}` | {e['expect']} | {where} | {licence} | `{e['sha256']}` |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    manifest = json.loads((HERE / "manifest.json").read_text())
    (HERE / "PROVENANCE.md").write_text(render(manifest))
