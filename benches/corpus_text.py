#!/usr/bin/env python3
"""Which accepted PDFs of the test corpus yield text (issue 10): runs `varde --json analyze` on
each and prints, per file, its pages, how much text came out, where from, and the warnings.

Usage: benches/corpus_text.py VARDE_BINARY [CORPUS_DIR]   (the corpus defaults to tests/corpus)
Prints no document text, only counts."""

import json
import pathlib
import subprocess
import sys


def main() -> int:
    varde = sys.argv[1]
    corpus = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "tests/corpus")
    manifest = json.loads((corpus / "manifest.json").read_text())
    pdfs = [e for e in manifest if e["expect"] == "accept" and e["path"].endswith(".pdf")]
    with_text = 0
    for entry in pdfs:
        run = subprocess.run(
            [varde, "--json", "analyze", str(corpus / entry["path"])],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            result = json.loads(run.stdout)
        except json.JSONDecodeError:
            print(f"{entry['path']}: no analysis (exit {run.returncode})")
            continue
        if "error" in result or "text" not in result:
            print(f"{entry['path']}: refused: {result.get('error', result)}")
            continue
        chars = sum(1 for c in result["text"] if not c.isspace())
        with_text += chars > 0
        reads = ",".join(
            f"{r['reason']}{'+ocr' if r['ocr'] else ''}" for r in result.get("page_reads", [])
        )
        print(
            f"{entry['path']}: pages={result['pages']} chars={chars} "
            f"source={result['text_source']} reads=[{reads}] "
            f"warnings={'; '.join(result['warnings']) or '-'}"
        )
    print(f"== {with_text} of {len(pdfs)} accepted PDFs yield text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
