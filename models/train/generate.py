#!/usr/bin/env python3
"""Synthetic document generator for the Varde document classifier.

Every document is built from a template (gen_identity.py, gen_clinical.py, gen_other.py) with random,
synthetic values (fakedata.py) — no real person, no downloaded data. A document can be turned into
  * a clean text layer (like pdf text extraction), optionally with simulated OCR noise (ocrnoise.py), or
  * page images rendered with PIL, degraded like a scan and OCR'd with Tesseract (render.py).

Templates flagged `heldout=True` are never used for training: they are kept for the held-out set so the
reported accuracy includes layouts and phrasings the model has not seen.

Usage (preview): python3 generate.py --preview OUTDIR [--n 2] [--ocr]
"""
from __future__ import annotations

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from docmodel import Doc, doc_text  # noqa: E402
from gen_clinical import TEMPLATES as T_CLIN  # noqa: E402
from gen_identity import TEMPLATES as T_ID  # noqa: E402
from gen_other import TEMPLATES as T_OTHER  # noqa: E402
from ocrnoise import noisify, text_layer_jitter  # noqa: E402

LABELS = ["passport", "national_id", "drivers_license", "medical_certificate", "lab_report", "discharge_summary",
          "prescription", "referral", "other"]
TEMPLATES = {**T_ID, **T_CLIN, **T_OTHER}
assert list(TEMPLATES) == LABELS or set(TEMPLATES) == set(LABELS)


def templates_for(label: str, heldout: bool):
    return [(fn, langs) for fn, ho, langs in TEMPLATES[label] if ho == heldout]


def _partial(doc: Doc, rng: random.Random) -> Doc:
    """Keep only the top or the bottom part of the first page (a partial scan / cut-off page)."""
    page = doc.pages[0]
    n = len(page.blocks)
    if n < 4:
        return doc
    k = rng.randint(max(2, n // 3), max(2, (2 * n) // 3))
    top = rng.random() < 0.6
    kept = page.blocks[:k] if top else page.blocks[n - k:]
    full_len = len(doc_text(Doc(doc.label, doc.template, doc.lang, [page]), random.Random(0)))
    part_len = len(doc_text(Doc(doc.label, doc.template, doc.lang, [type(page)(page.kind, kept)]), random.Random(0)))
    if part_len < max(80, 0.35 * full_len):
        return doc  # the cut would leave (almost) nothing that identifies the document: keep it whole
    page.blocks = kept
    doc.pages = [page]
    doc.meta["partial"] = True
    return doc


def make_doc(label: str, seed: int, heldout_template_frac: float = 0.0, partial_frac: float = 0.08,
             augment: bool = False) -> Doc:
    """Build one document of `label`. With probability heldout_template_frac use a held-out template."""
    rng = random.Random(seed)
    use_ho = rng.random() < heldout_template_frac and templates_for(label, True)
    fn, langs = rng.choice(templates_for(label, bool(use_ho)))
    if langs == "nox":
        lang = "no" if rng.random() < 0.6 else "en"
    else:
        lang = langs
    doc = fn(rng, lang)
    doc.label = label
    doc.meta["heldout_template"] = bool(use_ho)
    doc.meta["seed"] = seed
    if rng.random() < partial_frac and doc.template != "blank_or_noise":
        doc = _partial(doc, rng)
    if augment and rng.random() < 0.5:
        _dropout(doc, rng)
    return doc


def _dropout(doc: Doc, rng: random.Random):
    """Training-only augmentation: drop some blocks and swap a few neighbours, so the model does not
    lean on any single line of a template (titles included) and sees varied reading orders."""
    p = rng.uniform(0.05, 0.3)
    for page in doc.pages:
        blocks = page.blocks
        if len(blocks) < 4:
            continue
        kept = [b for b in blocks if rng.random() > p]
        if len(kept) < 2:
            continue
        for _ in range(rng.randint(0, 2)):
            i = rng.randrange(len(kept) - 1)
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
        page.blocks = kept
    doc.meta["dropout"] = True


def clean_text(doc: Doc, seed: int) -> str:
    rng = random.Random(seed ^ 0x5EED)
    t = doc_text(doc, rng)
    if rng.random() < 0.5:
        t = text_layer_jitter(t, rng)
    return t


def noisy_text(doc: Doc, seed: int) -> str:
    rng = random.Random(seed ^ 0xBADC0DE)
    return noisify(doc_text(doc, rng), rng)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preview", required=True, help="output directory")
    ap.add_argument("--n", type=int, default=2)
    ap.add_argument("--ocr", action="store_true")
    ap.add_argument("--heldout", action="store_true", help="preview held-out templates only")
    a = ap.parse_args()
    os.makedirs(a.preview, exist_ok=True)
    from render import render_doc, tesseract_ocr
    for li, label in enumerate(LABELS):
        for fi, (fn, langs) in enumerate(templates_for(label, a.heldout)):
            for i in range(a.n):
                seed = 10_000 * li + 100 * fi + i
                rng = random.Random(seed)
                lang = "no" if langs == "no" else ("en" if langs == "en" else rng.choice(["no", "en"]))
                doc = fn(rng, lang)
                base = os.path.join(a.preview, f"{label}-{doc.template}-{i}")
                with open(base + ".txt", "w") as f:
                    f.write(clean_text(doc, seed) + "\n\n=== simulated OCR noise ===\n" + noisy_text(doc, seed))
                pages = render_doc(doc, seed, heldout_fonts=a.heldout)
                for pi, (img, dpi) in enumerate(pages):
                    img.save(f"{base}-p{pi}.jpg", quality=85)
                if a.ocr:
                    with open(base + ".ocr.txt", "w") as f:
                        f.write("\f".join(tesseract_ocr(img, dpi) for img, dpi in pages))
                print(base)


if __name__ == "__main__":
    main()
