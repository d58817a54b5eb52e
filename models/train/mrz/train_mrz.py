#!/usr/bin/env python3
"""Train, export and evaluate the Varde MRZ glyph recogniser (models/mrz-glyphs.onnx).

    bash models/train/mrz/train.sh            (creates/uses the venv, then runs this)
    python3 models/train/mrz/train_mrz.py [--quick] [--jobs 2] [--no-tesseract]

Steps
 1. render synthetic MRZ pages (synth.py: OCR-B, rotation, downscale, backgrounds, blur, noise, JPEG), cut one
    16x24 cell per character exactly per the cell contract (cells.py) from jittered line extents (imperfect
    locator); training = half realistic MRZs, half uniformly drawn characters, with the filler '<' capped;
 2. scikit-learn MLPClassifier (384 -> 256 -> 128 -> 37, ReLU, adam, early stopping);
 3. export to ONNX (skl2onnx, opset 17, zipmap off): input `cells` float32 [N,384], outputs `label` int64 [N],
    `probabilities` float32 [N,37]; check ONNX Runtime against scikit-learn;
 4. held-out pages from another seed range (realistic MRZs only): per-character accuracy and line exact-match,
    by cap-height bucket, by skew, by locator error; Tesseract 5 (psm 7, whitelist) on the same lines;
 5. write models/mrz-glyphs.{onnx,json}, models/train/mrz/metrics.json and the model card section in
    models/README.md (between the MRZ-CARD markers).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import platform
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))

import numpy as np  # noqa: E402

from cells import cut_line, cut_line_pil  # noqa: E402
from onnx_io import finish_and_save, ort_session  # noqa: E402
from mrztext import ALPHABET  # noqa: E402
from synth import BUCKETS, FONT_PATH, jitter_extents, make_page  # noqa: E402

NAME = "varde-mrz-glyphs"
VERSION = "1.0.0"
OPSET = 17
TRAIN_BASE, TEST_BASE = 10_000_000, 90_000_000  # disjoint seed ranges
IDX = {c: i for i, c in enumerate(ALPHABET)}

CFG = dict(
    n_train_pages=5000,        # half realistic MRZ pages, half uniformly drawn characters
    n_test_pages=1500,         # realistic only, cap-height buckets balanced
    n_sens_pages=450,          # subset of the test pages re-cut with other locator errors
    n_tesseract_lines=300,     # 100 per cap-height bucket
    train_x_frac=0.25,         # training locator error: +-0.25 pitch (+-1 px) at each x end, +-1 px at each y end
    test_x_frac=0.2,           # default held-out locator error
    filler_cap=2.5,            # '<' cells kept at most filler_cap x the median class count
    hidden=(256, 128),
    alpha=1e-4,
    batch_size=256,
    lr=1e-3,
    max_iter=40,
    n_iter_no_change=4,
)


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, flush=True)


def bucket_of(h):
    for i, (lo, hi) in enumerate(BUCKETS):
        if h < hi or i == len(BUCKETS) - 1:
            return i
    return len(BUCKETS) - 1


# ---------------------------------------------------------------------------------------------- data
def _page_cells(task):
    """Worker: one page -> list of (cells [n,384], labels [n], meta) per line."""
    seed, realistic, bucket, x_frac = task
    p = make_page(seed, realistic=realistic, bucket=bucket)
    r = random.Random(seed ^ 0x5EED)
    out = []
    for li, ext in enumerate(p.lines):
        t, xl, xr, yt, yb = jitter_extents(r, ext, x_frac=x_frac)
        X = cut_line(p.gray, xl, xr, yt, yb, len(t))
        y = np.array([IDX[c] for c in t], np.int16)
        out.append((X, y, dict(seed=seed, line=li, h=ext[4] - ext[3], angle=p.params["angle"], fmt=p.params["fmt"],
                               blur=p.params["blur"], jpeg=p.params["jpeg"], text=t)))
    return out


def generate(tasks, jobs):
    with mp.get_context("fork").Pool(jobs) as pool:
        res = pool.map(_page_cells, tasks, chunksize=16)
    return [ln for page in res for ln in page]


def train_tasks(n, x_frac):
    return [(TRAIN_BASE + i, i % 2 == 0, None, x_frac) for i in range(n)]


def test_tasks(n, x_frac):
    return [(TEST_BASE + i, True, i % 3, x_frac) for i in range(n)]


def stack(lines):
    X = np.concatenate([l[0] for l in lines])
    y = np.concatenate([l[1] for l in lines]).astype(np.int64)
    return X, y


def cap_filler(X, y, cap, seed=0):
    counts = np.bincount(y, minlength=len(ALPHABET))
    limit = int(cap * np.median(counts[1:]))
    idx = np.nonzero(y == 0)[0]
    keep = np.ones(len(y), bool)
    if len(idx) > limit:
        drop = np.random.default_rng(seed).choice(idx, len(idx) - limit, replace=False)
        keep[drop] = False
    return X[keep], y[keep]


# --------------------------------------------------------------------------------------------- model
def train_model(X, y, cfg):
    from sklearn.neural_network import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=cfg["hidden"], activation="relu", solver="adam", alpha=cfg["alpha"],
                        batch_size=cfg["batch_size"], learning_rate_init=cfg["lr"], max_iter=cfg["max_iter"],
                        early_stopping=True, validation_fraction=0.05, n_iter_no_change=cfg["n_iter_no_change"],
                        random_state=0, verbose=False)
    clf.fit(X, y)
    return clf


def export_onnx(clf, path):
    import onnx
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, Int64TensorType
    onx = to_onnx(clf, initial_types=[("cells", FloatTensorType([None, 384]))],
                  final_types=[("label", Int64TensorType([None])), ("probabilities", FloatTensorType([None, len(ALPHABET)]))],
                  options={id(clf): {"zipmap": False}}, target_opset={"": OPSET, "ai.onnx.ml": 3})
    return finish_and_save(onx, path, NAME, VERSION, ("Varde MRZ glyph recogniser (OCR-B). Input `cells` float32 [N,384]: 16x24 cells per cell_contract 1 "
                      "(models/README.md). Outputs `label` int64 [N] (index into metadata `alphabet`), `probabilities` float32 [N,37]."),
                           {"name": NAME, "version": VERSION, "alphabet": ALPHABET, "cell_contract": "1"})


# ---------------------------------------------------------------------------------------------- eval
def line_scores(lines, pred):
    """Per-line (n_correct, n, exact) for predictions concatenated in line order."""
    out, k = [], 0
    for X, y, m in lines:
        n = len(y)
        c = int((pred[k:k + n] == y).sum())
        out.append((c, n, c == n))
        k += n
    return out


def summarise(lines, pred, key=None):
    sc = line_scores(lines, pred)
    groups = {"all": list(range(len(lines)))}
    if key:
        for i, l in enumerate(lines):
            groups.setdefault(key(l[2]), []).append(i)
    res = {}
    for g, ids in groups.items():
        c = sum(sc[i][0] for i in ids)
        n = sum(sc[i][1] for i in ids)
        res[g] = dict(lines=len(ids), chars=n, char_acc=c / max(1, n), line_exact=sum(sc[i][2] for i in ids) / max(1, len(ids)))
    return res


def bucket_name(h):
    lo, hi = BUCKETS[bucket_of(h)]
    return f"{lo}-{hi}px"


def skew_name(a):
    a = abs(a)
    return "skew<0.35deg" if a < 0.35 else ("skew0.35-1deg" if a < 1.0 else "skew1-1.5deg")


# ----------------------------------------------------------------------------------------- tesseract
def _tess_line(task):
    seed, li = task
    from PIL import Image
    p = make_page(seed, realistic=True, bucket=(seed - TEST_BASE) % 3)
    t, xl, xr, yt, yb = p.lines[li]
    h = yb - yt
    pitch = (xr - xl) / len(t)
    H, W = p.gray.shape
    box = (max(0, int(xl - 1.0 * pitch)), max(0, int(yt - 0.5 * h)), min(W, int(xr + 1.0 * pitch + 1)), min(H, int(yb + 0.5 * h + 1)))
    crop = Image.fromarray(p.gray).crop(box)
    s = max(1.0, 30.0 / h)
    if s > 1:
        crop = crop.resize((int(round(crop.width * s)), int(round(crop.height * s))), Image.LANCZOS)
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        crop.save(f.name)
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        r = subprocess.run(["tesseract", f.name, "-", "--psm", "7", "-l", "eng", "-c", f"tessedit_char_whitelist={ALPHABET}"],
                           env=env, capture_output=True, timeout=60)
    out = "".join(ch for ch in r.stdout.decode("utf-8", "replace") if ch in ALPHABET)
    return dict(seed=seed, line=li, text=t, tess=out, h=h)


def tesseract_baseline(test_lines, n_lines, jobs):
    by_b = {0: [], 1: [], 2: []}
    for X, y, m in test_lines:
        b = bucket_of(m["h"])
        by_b[b].append((m["seed"], m["line"]))
    per = n_lines // 3
    tasks = [t for b in range(3) for t in by_b[b][:per]]
    t0 = time.time()
    with mp.get_context("fork").Pool(jobs) as pool:
        res = pool.map(_tess_line, tasks, chunksize=4)
    wall = time.time() - t0
    return res, tasks, wall


def tess_summary(res):
    groups = {"all": res}
    for r in res:
        groups.setdefault(bucket_name(r["h"]), []).append(r)
    out = {}
    for g, rs in groups.items():
        c = n = ex = badlen = 0
        for r in rs:
            t = r["text"]
            o = (r["tess"] + "?" * len(t))[:len(t)]
            c += sum(a == b for a, b in zip(o, t))
            n += len(t)
            ex += r["tess"] == t
            badlen += len(r["tess"]) != len(t)
        out[g] = dict(lines=len(rs), chars=n, char_acc=c / max(1, n), line_exact=ex / max(1, len(rs)), wrong_length=badlen / max(1, len(rs)))
    return out


# ------------------------------------------------------------------------------------------- report
def pct(v):
    return f"{100 * v:.1f} %"


CARD_BEGIN, CARD_END = "<!-- MRZ-CARD:BEGIN -->", "<!-- MRZ-CARD:END -->"


def card(res):
    m = res["heldout"]
    tb = res["tesseract"]
    L = []
    L.append("# MRZ glyph recogniser — model card\n")
    L.append(f"_Generated by `models/train/mrz/train_mrz.py` on {res['trained_at']} (version {VERSION}); do not edit by hand, rerun `bash models/train/mrz/train.sh`._\n")
    L.append(f"`{NAME}` **{VERSION}**: reads one character of an ICAO 9303 machine-readable zone (OCR-B) from a fixed-size cell "
             "cut out of the page image. The Rust side locates the MRZ lines, cuts `n` cells per line as described below, runs the "
             "model on the cells (~100 per document), and then applies the usual MRZ check digits.\n")
    L.append("| file | what |\n|---|---|")
    L.append(f"| `mrz-glyphs.onnx` | the model (opset {OPSET}, `ai.onnx.ml` 3; {res['onnx_bytes'] / 1e3:.0f} kB; SHA-256 `{res['sha256']}`) |")
    L.append("| `mrz-glyphs.json` | name, version, alphabet, `cell_contract`, input/output names, SHA-256, size, training date, metrics |")
    L.append("| `train/mrz/` | generator (`mrztext.py`, `synth.py`), the reference cell cutter (`cells.py`), `train_mrz.py`, `train.sh`, `metrics.json` of the last run |\n")
    L.append("## Intended use\n")
    L.append("Recognising the characters of MRZ lines (TD1 3×30, TD2/MRV-B 2×36, TD3/MRV-A 2×44) on scans and photos of passports, "
             "ID cards, residence cards and visas inside Varde, offline. Not a general OCR: the only classes are the 37 MRZ characters, "
             "and every cell gets one of them (there is no \"not a character\" class). Use the probabilities and the MRZ check digits "
             "to decide whether to trust a line; a person confirms the extracted fields.\n")
    L.append("## Interface\n")
    L.append("| | name | type | shape | notes |\n|---|---|---|---|---|")
    L.append("| input | `cells` | float32 | `[N, 384]` | N cells, each 24 rows × 16 columns row-major, values in [0, 1], cut per the cell contract |")
    L.append("| output | `label` | int64 | `[N]` | index into the alphabet (= argmax of `probabilities`) |")
    L.append("| output | `probabilities` | float32 | `[N, 37]` | softmax of the MLP, columns in alphabet order |\n")
    L.append(f"Alphabet (class order, also in the JSON as `alphabet` and in the ONNX metadata): `{ALPHABET}` (index 0 = `<`, 1–10 = digits, 11–36 = A–Z).\n")
    L.append("## Cell contract 1 (`\"cell_contract\": 1` in the JSON)\n")
    L.append("Input: an 8-bit grayscale page image and one located MRZ line given as (x_left, x_right, y_top, y_bottom, n): "
             "x_left = left edge of the first glyph's ink, x_right = right edge (exclusive) of the last glyph's ink, y_top / y_bottom = "
             "top / bottom (exclusive) of the row's glyph ink (the union over the row's glyphs, i.e. cap/digit height; OCR-B digits are "
             "~8 % taller than capitals), n ∈ {30, 36, 44}.\n")
    L.append("1. pitch = (x_right − x_left) / n; h = y_bottom − y_top.")
    L.append("2. Cell i (0-based) is the source rectangle x ∈ [x_left + i·pitch, x_left + (i+1)·pitch), y ∈ [y_top − 0.15·h, y_bottom + 0.15·h) "
             "(float coordinates; pixel (c, r) is the unit square [c, c+1) × [r, r+1); parts outside the image count as white, 255).")
    L.append("3. Resample the rectangle to 16 columns × 24 rows by **exact area averaging**: output pixel = mean of the source area it covers, "
             "each source pixel weighted by its fractional overlap. This is separable: weight of source column c for output column j = "
             "|[x0 + j·w/16, x0 + (j+1)·w/16) ∩ [c, c+1)| / (w/16), same for rows; missing (outside-image) weight is white.")
    L.append("4. ink = 1 − gray/255; per cell lo = min(ink), hi = max(ink); if hi − lo < 0.08 all 384 values are 0, else (ink − lo)/(hi − lo).")
    L.append("5. Flatten row-major (24 rows of 16) → 384 float32.\n")
    L.append("The reference implementation is `train/mrz/cells.py::cut_line` (numpy); training and every figure below use it. "
             f"PIL's `resize((16, 24), Image.BOX, box=…)` is close but **not** identical: PIL weights whole source pixels by whether their "
             f"centre lies in the box, so with fractional box edges or upsampled cells (cap height below ~18 px) it differs "
             f"(mean |Δ| {res['pil_vs_exact']['mean_abs']:.3f}, max {res['pil_vs_exact']['max_abs']:.2f} on normalised cell values; "
             f"labels agree on {pct(res['pil_vs_exact']['label_agree'])} of {res['pil_vs_exact']['cells']} test cells). Implement step 3 as written, not PIL's variant.\n")
    L.append("## Model\n")
    L.append(f"scikit-learn `MLPClassifier` 384 → {' → '.join(str(h) for h in CFG['hidden'])} → 37 (ReLU, adam, lr {CFG['lr']}, "
             f"L2 {CFG['alpha']}, batch {CFG['batch_size']}, early stopping on 5 % of the training cells, stopped after {res['n_iter']} epochs); "
             f"exported with skl2onnx (`zipmap=False`). Trained from random initialisation by the script — no pretrained weights. "
             f"ONNX Runtime vs scikit-learn on {res['ort_check']['n']} held-out cells: labels identical {res['ort_check']['labels_equal']}, "
             f"max |Δp| {res['ort_check']['max_abs_diff']:.1e}. ONNX Runtime, 1 thread, a batch of 100 cells: {res['ort_timing']['batch100_ms']:.2f} ms "
             f"(one cell per call: {res['ort_timing']['single_ms']:.3f} ms).\n")
    L.append("## Training data (all synthetic)\n")
    L.append(f"- Glyphs rendered with OCR-B from Debian's `fonts-ocr-b` (`{FONT_PATH}`, at its natural monospace advance). Licence "
             "(`/usr/share/doc/fonts-ocr-b/copyright`): the OCR-B glyph sources (`msk-ocrb*.mp`, © 1995, 2010 Norbert Schwarz) are under "
             "a permissive licence — \"You may freely use, modify and/or distribute this file, without limitation\"; the rest of the "
             "package (Matthew Skala, 2012) is public domain. The font itself is not shipped with the model.")
    L.append("- Text: random but realistic MRZs (`mrztext.py`: TD1, TD2, TD3, MRV-A, MRV-B; names incl. transliterated Norwegian ones, "
             "~70 issuing states with NOR most frequent, document numbers, dates, sex, optional data such as fødselsnummer, filler runs, "
             "correct check digits) for half of the training pages; the other half are lines of uniformly drawn characters (with short filler runs) "
             f"so that every digit and letter is well represented in every neighbourhood. `<` cells are capped at {CFG['filler_cap']}× the median class count.")
    L.append("- Rendering: whole 2–3-line zones, line pitch 1.45–2.0 × row height, rendered at 42–90 px row height, rotated (70 % of pages "
             "±0.35°, 30 % ±1.5°), downscaled by area averaging to a row height of 7–40 px (three buckets 7–10, 10–16, 16–40 drawn equally), 25 % via "
             "a lower-resolution capture (0.45–0.8×) upscaled again; backgrounds uniform 150–255, gradients, guilloche line patterns, "
             "coloured noise converted to gray, horizontal banding; ink 0–120; 25 % reduced contrast; Gaussian blur 0–1.5 px; uneven "
             "illumination; Gaussian noise σ ≤ 12; salt-and-pepper; JPEG quality 20–95 (70 %).")
    L.append(f"- Line extents: true ink extents from the rendering (after rotation), then an imperfect locator: each x end ±{CFG['train_x_frac']} pitch ± 1 px, "
             "each y end ± 1 px (uniform), rounded to whole pixels; cells cut per the contract.")
    L.append(f"- {res['n_train_pages']} training pages → {res['n_train_cells']:,} cells after the filler cap "
             f"(from {res['n_train_cells_raw']:,}); class counts min {res['train_class_min']:,} / median {res['train_class_median']:,} / max {res['train_class_max']:,}. "
             f"Held-out: {res['n_test_pages']} realistic pages from a disjoint seed range.\n")
    L.append("## Metrics (held-out synthetic, realistic MRZs)\n")
    L.append(f"Default locator error on the held-out set: x ends ±{CFG['test_x_frac']} pitch ± 1 px, y ends ± 1 px. Line exact = all n characters right.\n")
    L.append("| subset | lines | characters | character accuracy | line exact-match |\n|---|---:|---:|---:|---:|")
    for k, v in m.items():
        L.append(f"| {k} | {v['lines']} | {v['chars']:,} | {pct(v['char_acc'])} | {pct(v['line_exact'])} |")
    L.append("\nBy skew (rotation of the page; the line rectangle is axis-aligned, so skew makes it taller):\n")
    L.append("| skew | lines | character accuracy | line exact-match |\n|---|---:|---:|---:|")
    for k, v in sorted(res["heldout_by_skew"].items(), key=lambda kv: ["all", "skew<0.35deg", "skew0.35-1deg", "skew1-1.5deg"].index(kv[0])):
        if k != "all":
            L.append(f"| {k} | {v['lines']} | {pct(v['char_acc'])} | {pct(v['line_exact'])} |")
    L.append(f"\nLocator error sensitivity ({res['sens']['pages']} held-out pages re-cut; x error per end, uniform):\n")
    L.append("| locator error | character accuracy | line exact-match |\n|---|---:|---:|")
    for k, v in res["sens"]["results"].items():
        L.append(f"| {k} | {pct(v['char_acc'])} | {pct(v['line_exact'])} |")
    L.append("\nPer character (held-out, default locator error), recall:\n")
    pc = res["per_char_recall"]
    L.append("| " + " | ".join(f"`{c}`" for c in ALPHABET[:19]) + " |\n|" + "---:|" * 19)
    L.append("| " + " | ".join(f"{100 * pc[c]:.1f}" for c in ALPHABET[:19]) + " |")
    L.append("\n| " + " | ".join(f"`{c}`" for c in ALPHABET[19:]) + " |\n|" + "---:|" * 18)
    L.append("| " + " | ".join(f"{100 * pc[c]:.1f}" for c in ALPHABET[19:]) + " |")
    L.append("\nMost frequent confusions (true → predicted, count): " + ", ".join(f"`{a}`→`{b}` {n}" for a, b, n in res["top_confusions"][:12]) + ".\n")
    L.append("### Baseline: Tesseract on the same lines (measure before choosing)\n")
    L.append(f"Tesseract {res['tesseract_version']} CLI, `OMP_THREAD_LIMIT=1 tesseract crop.png - --psm 7 -l eng -c tessedit_char_whitelist='{ALPHABET}'` "
             f"on {tb['all']['lines']} held-out lines ({tb['all']['lines'] // 3} per bucket): crop = the line's **true** rectangle plus 1 pitch left/right and "
             "0.5 h above/below, upscaled (Lanczos) so the row height is ≥ 30 px. Characters compared by position after padding/truncating the "
             f"output to n. Tesseract wall time: {res['tesseract_wall_s'] / tb['all']['lines']:.2f} s per line (2 processes). The MLP columns are on the same lines with the default "
             "(jittered) locator error.\n")
    L.append("| subset | lines | Tesseract char acc | Tesseract line exact | Tesseract wrong length | MLP char acc | MLP line exact |\n|---|---:|---:|---:|---:|---:|---:|")
    for k, v in tb.items():
        mm = res["mlp_on_tess_lines"].get(k, {})
        L.append(f"| {k} | {v['lines']} | {pct(v['char_acc'])} | {pct(v['line_exact'])} | {pct(v['wrong_length'])} | "
                 f"{pct(mm.get('char_acc', 0))} | {pct(mm.get('line_exact', 0))} |")
    L.append("")
    L.append("## Limitations\n")
    L.append("- **Synthetic only.** No real document was used for training or for these figures; real MRZs add holograms, laminate glare, "
             "printing defects, perspective and fonts that are not exactly this OCR-B rendering. Expect lower accuracy on real images; "
             "check against real specimens before relying on the numbers.")
    L.append("- The model reads cells; it is only as good as the locator. It tolerates the locator errors above; beyond them accuracy falls "
             "quickly (see the sensitivity table), mostly at the line ends where the cell grid drifts the most.")
    L.append("- Skew: the cell grid is axis-aligned. Deskew the page (or the MRZ region) first; residual skew above ~0.5° costs accuracy "
             "(see the skew table), and beyond ~1.5° cells start to contain parts of the neighbouring line.")
    L.append("- Every cell gets one of the 37 characters: a wrong n or a line that is not an MRZ gives confident-looking garbage. Use the "
             "check digits (and low max probability) to reject.")
    L.append("- Similar glyph pairs (`0`/`O`/`D`/`Q`, `1`/`I`, `8`/`B`, `5`/`S`, `2`/`Z`) remain the main errors on tiny or blurred images; "
             "field-aware correction (digits-only fields, check digits) on the Rust side fixes most of them.")
    L.append("- Row heights below 7 px or above 40 px were not trained (upscale/downscale the page first).\n")
    L.append("## How to retrain\n")
    L.append("```bash\napt-get install -y fonts-ocr-b tesseract-ocr tesseract-ocr-eng   # Debian 12\nbash models/train/mrz/train.sh           "
             "# creates/uses /var/tmp/varde-train-venv from models/train/requirements.txt\n"
             "PYTHON=/path/to/python bash models/train/mrz/train.sh   # or an existing environment\n"
             "bash models/train/mrz/train.sh --no-tesseract           # skip the baseline\n```\n")
    L.append(f"Writes `models/mrz-glyphs.onnx`, `models/mrz-glyphs.json`, `models/train/mrz/metrics.json` and this section. "
             f"End to end on the 2-core dev machine: {res['timing']['total_s'] / 60:.1f} min (generation {res['timing']['gen_s'] / 60:.1f} min, "
             f"MLP fit {res['timing']['fit_s'] / 60:.1f} min, evaluation incl. Tesseract {res['timing']['eval_s'] / 60:.1f} min). "
             "Data generation is deterministic given the seeds; the MLP fit is deterministic up to BLAS threading.")
    return "\n".join(L)


def write_card(text):
    path = os.path.join(MODELS, "README.md")
    cur = open(path, encoding="utf-8").read()
    block = f"{CARD_BEGIN}\n{text}\n{CARD_END}\n"
    if CARD_BEGIN in cur and CARD_END in cur:
        a = cur.index(CARD_BEGIN)
        b = cur.index(CARD_END) + len(CARD_END)
        cur = cur[:a] + block.rstrip("\n") + cur[b:]
    else:
        cur = cur.rstrip("\n") + "\n\n" + block
    open(path, "w", encoding="utf-8").write(cur)


# ---------------------------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="tiny smoke run; writes into a temp dir, not models/")
    ap.add_argument("--no-tesseract", action="store_true")
    ap.add_argument("--card-only", action="store_true", help="only rewrite the README section from metrics.json")
    args = ap.parse_args()
    if args.card_only:
        write_card(card(json.load(open(os.path.join(HERE, "metrics.json")))))
        return
    cfg = dict(CFG)
    out_dir = MODELS
    if args.quick:
        cfg.update(n_train_pages=300, n_test_pages=60, n_sens_pages=30, n_tesseract_lines=12, max_iter=5)
        out_dir = tempfile.mkdtemp(prefix="mrz-quick-")
    T0 = time.time()
    log(f"generating {cfg['n_train_pages']} training pages, {cfg['n_test_pages']} held-out pages ({args.jobs} processes)")
    tr = generate(train_tasks(cfg["n_train_pages"], cfg["train_x_frac"]), args.jobs)
    te = generate(test_tasks(cfg["n_test_pages"], cfg["test_x_frac"]), args.jobs)
    Xtr_raw, ytr_raw = stack(tr)
    Xtr, ytr = cap_filler(Xtr_raw, ytr_raw, cfg["filler_cap"])
    Xte, yte = stack(te)
    counts = np.bincount(ytr, minlength=len(ALPHABET))
    t_gen = time.time() - T0
    log(f"train cells {len(ytr):,} (raw {len(ytr_raw):,}), test cells {len(yte):,}, class counts min {counts.min()} max {counts.max()}; {t_gen:.0f} s")
    n_raw = len(ytr_raw)
    del tr, Xtr_raw, ytr_raw

    t1 = time.time()
    clf = train_model(Xtr, ytr, cfg)
    t_fit = time.time() - t1
    log(f"fit {t_fit:.0f} s, {clf.n_iter_} epochs, best val acc {max(clf.validation_scores_):.4f}, train acc (sample) "
        f"{(clf.predict(Xtr[:20000]) == ytr[:20000]).mean():.4f}")
    assert list(clf.classes_) == list(range(len(ALPHABET)))
    del Xtr

    t2 = time.time()
    onnx_path = os.path.join(out_dir, "mrz-glyphs.onnx")
    sha, nbytes = export_onnx(clf, onnx_path)
    sess = ort_session(onnx_path)
    sub = np.random.default_rng(1).choice(len(yte), min(1000, len(yte)), replace=False)
    lab_o, prob_o = sess.run(["label", "probabilities"], {"cells": Xte[sub]})
    prob_s = clf.predict_proba(Xte[sub])
    ort_check = dict(n=len(sub), labels_equal=bool((lab_o == clf.predict(Xte[sub])).all()),
                     max_abs_diff=float(np.abs(prob_o - prob_s).max()))
    log(f"onnx {nbytes / 1e3:.0f} kB sha {sha[:16]}; ORT vs sklearn {ort_check}")
    assert ort_check["labels_equal"] and ort_check["max_abs_diff"] < 1e-4
    # timing
    b100 = Xte[:100]
    for _ in range(20):
        sess.run(None, {"cells": b100})
    ts = []
    for _ in range(200):
        t = time.perf_counter()
        sess.run(None, {"cells": b100})
        ts.append(time.perf_counter() - t)
    ts1 = []
    for i in range(500):
        t = time.perf_counter()
        sess.run(None, {"cells": Xte[i:i + 1]})
        ts1.append(time.perf_counter() - t)
    ort_timing = dict(batch100_ms=float(np.median(ts) * 1000), single_ms=float(np.median(ts1) * 1000))

    # held-out evaluation (ONNX predictions, i.e. what the app gets)
    pred = np.concatenate([sess.run(["label"], {"cells": Xte[i:i + 8192]})[0] for i in range(0, len(yte), 8192)])
    heldout = summarise(te, pred, key=lambda m: bucket_name(m["h"]))
    heldout = {"all": heldout.pop("all"), **{k: heldout[k] for k in sorted(heldout, key=lambda s: int(s.split("-")[0]))}}
    by_skew = summarise(te, pred, key=lambda m: skew_name(m["angle"]))
    by_fmt = summarise(te, pred, key=lambda m: m["fmt"])
    recall = {c: float((pred[yte == i] == i).mean()) for i, c in enumerate(ALPHABET)}
    conf = {}
    for a, b in zip(yte[pred != yte], pred[pred != yte]):
        conf[(int(a), int(b))] = conf.get((int(a), int(b)), 0) + 1
    top_conf = [(ALPHABET[a], ALPHABET[b], n) for (a, b), n in sorted(conf.items(), key=lambda kv: -kv[1])[:20]]
    log(f"held-out: {json.dumps(heldout)}")
    log(f"by skew: {json.dumps(by_skew)}")

    # locator sensitivity
    sens_pages = cfg["n_sens_pages"]
    variants = [("exact extents (rounded)", 0.0, 0.0, 0.0), ("±0.1 pitch ±1 px", 0.1, 1.0, 1.0),
                (f"±{cfg['test_x_frac']} pitch ±1 px (default)", cfg["test_x_frac"], 1.0, 1.0),
                ("±0.35 pitch ±1 px", 0.35, 1.0, 1.0), ("±0.5 pitch ±1 px", 0.5, 1.0, 1.0)]
    sens_lines = {v[0]: [] for v in variants}
    for i in range(sens_pages):
        seed = TEST_BASE + i
        p = make_page(seed, realistic=True, bucket=i % 3)
        for name, xf, ypx, xpx in variants:
            r = random.Random((seed ^ 0xABC) + int(xf * 1000))
            for ext in p.lines:
                t, xl, xr, yt, yb = jitter_extents(r, ext, x_frac=xf, y_px=ypx, x_px=xpx)
                sens_lines[name].append((cut_line(p.gray, xl, xr, yt, yb, len(t)), np.array([IDX[c] for c in t]), {}))
    sens = {}
    for name, lines in sens_lines.items():
        Xs, ys = stack(lines)
        ps = sess.run(["label"], {"cells": Xs})[0]
        sens[name] = summarise(lines, ps)["all"]
    log(f"sensitivity: {json.dumps(sens)}")

    # PIL BOX vs exact area averaging on a few test pages
    pe = []
    agree = []
    for i in range(60):
        seed = TEST_BASE + i
        p = make_page(seed, realistic=True, bucket=i % 3)
        r = random.Random(seed ^ 0x5EED)
        for ext in p.lines:
            t, xl, xr, yt, yb = jitter_extents(r, ext, x_frac=cfg["test_x_frac"])
            a = cut_line(p.gray, xl, xr, yt, yb, len(t))
            b = cut_line_pil(p.gray, xl, xr, yt, yb, len(t))
            pe.append(np.abs(a - b))
            agree.append(sess.run(["label"], {"cells": a})[0] == sess.run(["label"], {"cells": b})[0])
    pe = np.concatenate(pe)
    agree = np.concatenate(agree)
    pil_vs_exact = dict(cells=int(len(agree)), mean_abs=float(pe.mean()), max_abs=float(pe.max()), label_agree=float(agree.mean()))

    # Tesseract baseline on the same lines
    tess, tess_sum, tess_wall, mlp_on_tess, tver = [], {}, 0.0, {}, ""
    if not args.no_tesseract:
        tver = subprocess.run(["tesseract", "--version"], capture_output=True).stdout.decode().split("\n")[0].replace("tesseract ", "")
        tess, tasks, tess_wall = tesseract_baseline(te, cfg["n_tesseract_lines"], args.jobs)
        tess_sum = tess_summary(tess)
        want = set(tasks)
        sel = [i for i, l in enumerate(te) if (l[2]["seed"], l[2]["line"]) in want]
        starts = np.cumsum([0] + [len(l[1]) for l in te])
        sub_lines = [te[i] for i in sel]
        sub_pred = np.concatenate([pred[starts[i]:starts[i + 1]] for i in sel])
        mlp_on_tess = summarise(sub_lines, sub_pred, key=lambda m: bucket_name(m["h"]))
        log(f"tesseract ({tess_wall:.0f} s): {json.dumps(tess_sum)}")
        log(f"mlp on those lines: {json.dumps(mlp_on_tess)}")
    t_eval = time.time() - t2

    trained_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    res = dict(name=NAME, version=VERSION, trained_at=trained_at, sha256=sha, onnx_bytes=nbytes, cfg={k: v for k, v in cfg.items()},
               n_iter=int(clf.n_iter_), best_val_acc=float(max(clf.validation_scores_)),
               n_train_pages=cfg["n_train_pages"], n_test_pages=cfg["n_test_pages"], n_train_cells=int(len(ytr)),
               n_train_cells_raw=int(n_raw), train_class_counts={c: int(counts[i]) for i, c in enumerate(ALPHABET)},
               train_class_min=int(counts.min()), train_class_median=int(np.median(counts)), train_class_max=int(counts.max()),
               n_test_cells=int(len(yte)), heldout=heldout, heldout_by_skew=by_skew, heldout_by_format=by_fmt,
               per_char_recall=recall, top_confusions=top_conf, sens=dict(pages=sens_pages, results=sens),
               pil_vs_exact=pil_vs_exact, ort_check=ort_check, ort_timing=ort_timing,
               tesseract_version=tver, tesseract=tess_sum, tesseract_wall_s=tess_wall, mlp_on_tess_lines=mlp_on_tess,
               tesseract_samples=tess[:40],
               timing=dict(gen_s=t_gen, fit_s=t_fit, eval_s=t_eval, total_s=time.time() - T0),
               env=dict(python=platform.python_version(), platform=platform.platform()))
    meta = {"name": NAME, "version": VERSION, "alphabet": ALPHABET, "cell_contract": 1,
            "cell": {"width": 16, "height": 24, "layout": "row-major, 24 rows of 16", "vertical_margin": 0.15, "flat_threshold": 0.08},
            "input": "cells", "input_shape": [None, 384],
            "outputs": {"label": "label", "probabilities": "probabilities"},
            "sha256": sha, "size_bytes": nbytes, "onnx_opset": OPSET, "trained_at": trained_at,
            "metrics": {"heldout_char_accuracy": round(heldout["all"]["char_acc"], 4),
                        "heldout_line_exact": round(heldout["all"]["line_exact"], 4),
                        "by_row_height": {k: {"char_accuracy": round(v["char_acc"], 4), "line_exact": round(v["line_exact"], 4)}
                                          for k, v in heldout.items() if k != "all"},
                        "tesseract_baseline": {k: {"char_accuracy": round(v["char_acc"], 4), "line_exact": round(v["line_exact"], 4),
                                                   "wrong_length": round(v["wrong_length"], 4)} for k, v in tess_sum.items()}}}
    with open(os.path.join(out_dir, "mrz-glyphs.json"), "w") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(HERE if not args.quick else out_dir, "metrics.json"), "w") as f:
        json.dump(res, f, indent=1, ensure_ascii=False, default=str)
    text = card(res)
    if args.quick:
        open(os.path.join(out_dir, "card.md"), "w").write(text)
    else:
        write_card(text)
    log(f"done in {(time.time() - T0) / 60:.1f} min -> {out_dir}")


if __name__ == "__main__":
    main()
