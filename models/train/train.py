#!/usr/bin/env python3
"""Train, calibrate, export and evaluate the Varde document classifier.

    python3 models/train/train.py            (or: bash models/train/train.sh)

Needs (Debian): tesseract-ocr tesseract-ocr-nor tesseract-ocr-eng fonts-dejavu-core fonts-dejavu-extra
                fonts-liberation2 fonts-freefont-ttf fonts-crosextra-carlito fonts-crosextra-caladea
Needs (pip):    models/train/requirements.txt

Steps
 1. generate synthetic documents (generate.py): bulk as text (clean text layer or simulated OCR noise),
    a part rendered as degraded scans and OCR'd with Tesseract (nor+eng, OMP_THREAD_LIMIT=1, 2 processes);
 2. the held-out set is generated from other seeds, is OCR'd in full, uses held-out templates for 1/3 of it
    and held-out fonts for about half of its scans; training never sees it;
 3. TF-IDF (word 1-2 grams, binary) + multinomial logistic regression; temperature scaling fitted on
    out-of-fold predictions (stratified k-fold + a k-fold that leaves one template per label out);
 4. export to ONNX (skl2onnx) with input `text` [N,1] string, outputs `label` int64 [N] and
    `probabilities` float32 [N,9]; check ONNX Runtime against scikit-learn on the held-out sets;
 5. metrics -> models/README.md (between the METRICS markers), models/train/metrics.json,
    models/doc-classifier.json.
Deterministic given the seeds below (Tesseract runs single-threaded; results are collected in order).
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
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

from generate import LABELS, clean_text, make_doc, noisy_text  # noqa: E402
from onnx_io import finish_and_save, ort_session  # noqa: E402

VERSION = "1.0.0"
NAME = "varde-doc-classifier"
OPSET = 17
TRAIN_BASE, HELDOUT_BASE = 100_000_000, 900_000_000  # disjoint seed ranges
OCR_CHUNK = 6  # documents per tesseract process (engine init once per chunk)
# sklearn's token pattern and the equivalent RE2 pattern used by ONNX Runtime's Tokenizer.
# `p<` / `i<` catch the start of machine-readable zones (P<NOR..., I<NOR...), `<<` their fillers.
TOKEN_PATTERN = r"(?u)p<|i<|\w\w+|<<"
TOKEN_EXP_RE2 = r"p<|i<|[\p{L}\p{N}_][\p{L}\p{N}_]+|<<"

CFG = dict(
    n_text_per_label=1000,      # training docs used as text (35 % clean text layer, 65 % simulated OCR noise)
    n_ocr_train_per_label=30,   # training docs rendered + degraded + Tesseract OCR
    n_ho_ocr_per_label=45,      # held-out docs, all rendered + degraded + Tesseract OCR
    n_ho_text_per_label=100,    # extra held-out docs as text (half clean, half simulated noise)
    ho_template_frac=1 / 3,     # share of held-out docs built from templates never used in training
    ocr_weight=3.0,             # sample weight of real-OCR training docs
    n_unreadable_per_label=15,  # empty/junk-only texts per label (unreadable scans)
    C=20.0,
    tol=1e-4,
    min_df=2,
    max_features=60000,
    cv_folds=5,
)


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, flush=True)


# ---------------------------------------------------------------------------------------------- data
def _ocr_chunk(chunk):
    """Worker: build, render, degrade and OCR a few documents with a single tesseract process."""
    from render import ocr_docs
    docs = [make_doc(label, seed, heldout_template_frac=ho_frac, augment=not ho_fonts) for label, seed, ho_frac, ho_fonts in chunk]
    texts = ocr_docs([(d, t[1], t[3]) for d, t in zip(docs, chunk)])
    return [(txt, d.template, d.meta["heldout_template"]) for txt, d in zip(texts, docs)]


def text_docs(base, n, ho_frac, clean_frac, augment=False):
    X, y, tpl, ho = [], [], [], []
    for li, label in enumerate(LABELS):
        for i in range(n):
            seed = base + li * 1_000_000 + i
            doc = make_doc(label, seed, heldout_template_frac=ho_frac, augment=augment)
            r = random.Random(seed ^ 0xC1EA)
            X.append(clean_text(doc, seed) if r.random() < clean_frac else noisy_text(doc, seed))
            y.append(li)
            tpl.append(doc.template)
            ho.append(doc.meta["heldout_template"])
    return X, np.array(y), tpl, np.array(ho)


def ocr_tasks(base, n, ho_frac, ho_fonts):
    return [(label, base + li * 1_000_000 + 500_000 + i, ho_frac, ho_fonts) for li, label in enumerate(LABELS) for i in range(n)]


def run_ocr(tasks, jobs, cache_dir=None):
    """OCR all tasks with `jobs` worker processes; optional cache keyed by task + generator source hash."""
    results = [None] * len(tasks)
    todo = list(range(len(tasks)))
    key = None
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
        h = hashlib.sha256()
        for f in sorted(os.listdir(HERE)):
            if f.endswith(".py") and f not in ("train.py", "check_onnx.py"):
                h.update(open(os.path.join(HERE, f), "rb").read())
        key = h.hexdigest()[:16]
        todo = []
        for i, t in enumerate(tasks):
            p = os.path.join(cache_dir, f"{key}-{t[0]}-{t[1]}-{int(t[3])}.json")
            if os.path.exists(p):
                results[i] = tuple(json.load(open(p)))
            else:
                todo.append(i)
    t0 = time.time()
    chunks = [todo[i:i + OCR_CHUNK] for i in range(0, len(todo), OCR_CHUNK)]
    done = 0
    with mp.get_context("fork").Pool(jobs) as pool:
        for idx, res in zip(chunks, pool.imap(_ocr_chunk, [[tasks[i] for i in c] for c in chunks], chunksize=1)):
            for i, r in zip(idx, res):
                results[i] = r
                if key:
                    t = tasks[i]
                    json.dump(r, open(os.path.join(cache_dir, f"{key}-{t[0]}-{t[1]}-{int(t[3])}.json"), "w"))
            done += len(idx)
            if done // 100 != (done - len(idx)) // 100:
                log(f"  OCR {done}/{len(todo)} ({(time.time() - t0) / done:.2f} s/doc wall)")
    return results


# --------------------------------------------------------------------------------------------- model
def build_pipeline(cfg):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    vec = TfidfVectorizer(lowercase=True, token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), min_df=cfg["min_df"],
                          max_features=cfg["max_features"], binary=True, sublinear_tf=False, norm="l2", dtype=np.float32)
    clf = LogisticRegression(C=cfg["C"], max_iter=3000, tol=cfg["tol"])
    return Pipeline([("tfidf", vec), ("clf", clf)])


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits, y):
    """Temperature minimising the negative log-likelihood (golden-section search on log T)."""
    def nll(logt):
        p = softmax(logits / np.exp(logt))
        return -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)))
    a, b = np.log(0.05), np.log(20.0)
    g = (np.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    for _ in range(80):
        if nll(c) < nll(d):
            b = d
        else:
            a = c
        c, d = b - g * (b - a), a + g * (b - a)
    return float(np.exp((a + b) / 2)), float(nll((a + b) / 2)), float(nll(0.0))


def ece(prob, y, bins=15):
    conf = prob.max(1)
    pred = prob.argmax(1)
    edges = np.linspace(0, 1, bins + 1)
    e = 0.0
    table = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            acc, cf = float((pred[m] == y[m]).mean()), float(conf[m].mean())
            e += m.mean() * abs(acc - cf)
            table.append((lo, hi, int(m.sum()), acc, cf))
    return float(e), table


def metrics(prob, y, thr=0.70):
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
    pred = prob.argmax(1)
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=range(len(LABELS)), zero_division=0)
    e, table = ece(prob, y)
    above = prob.max(1) >= thr
    return dict(n=int(len(y)), accuracy=float((pred == y).mean()), ece=e, ece_bins=table,
                nll=float(-np.mean(np.log(np.clip(prob[np.arange(len(y)), y], 1e-12, None)))),
                frac_above_thr=float(above.mean()), acc_above_thr=float((pred[above] == y[above]).mean()) if above.any() else None,
                acc_below_thr=float((pred[~above] == y[~above]).mean()) if (~above).any() else None,
                per_class={LABELS[i]: dict(precision=float(p[i]), recall=float(r[i]), f1=float(f[i]), support=int(s[i])) for i in range(len(LABELS))},
                confusion=confusion_matrix(y, pred, labels=range(len(LABELS))).tolist())


# -------------------------------------------------------------------------------------------- export
def export_onnx(pipe, path):
    import onnx
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, Int64TensorType, StringTensorType
    onx = to_onnx(pipe, initial_types=[("text", StringTensorType([None, 1]))],
                  final_types=[("label", Int64TensorType([None])), ("probabilities", FloatTensorType([None, len(LABELS)]))],
                  options={id(pipe.named_steps["clf"]): {"zipmap": False},
                           id(pipe.named_steps["tfidf"]): {"locale": "C.UTF-8", "tokenexp": TOKEN_EXP_RE2}},
                  target_opset={"": OPSET, "ai.onnx.ml": 3})
    return finish_and_save(onx, path, NAME, VERSION, ("Varde document classifier. Input `text` string [N,1]: raw document text (pages joined with \\f). "
                      "Outputs `label` int64 [N], `probabilities` float32 [N,9] in the order of metadata `labels`."),
                           {"name": NAME, "version": VERSION, "labels": json.dumps(LABELS)})


def ort_predict(sess, texts, batch=256):
    labs, probs = [], []
    for i in range(0, len(texts), batch):
        arr = np.array(texts[i:i + batch], dtype=object).reshape(-1, 1)
        l, p = sess.run(["label", "probabilities"], {"text": arr})
        labs.append(l)
        probs.append(p)
    return np.concatenate(labs), np.concatenate(probs)


def ort_timing(sess, texts):
    times = []
    for t in texts:
        arr = np.array([[t]], dtype=object)
        t0 = time.perf_counter()
        sess.run(None, {"text": arr})
        times.append((time.perf_counter() - t0) * 1000)
    times = np.array(times)
    return dict(n=len(times), mean_ms=float(times.mean()), p50_ms=float(np.percentile(times, 50)),
                p95_ms=float(np.percentile(times, 95)), p99_ms=float(np.percentile(times, 99)), max_ms=float(times.max()))


# ------------------------------------------------------------------------------------- real corpus
def real_corpus_check(sess, folder):
    """OCR each image file as is (tesseract CLI, nor+eng, like the app) and classify it."""
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".png", ".jpg", ".jpeg", ".tif", ".tiff")))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = []
    for f in files:
        r = subprocess.run(["tesseract", os.path.join(folder, f), "stdout", "-l", "nor+eng"], env=env, capture_output=True, timeout=120)
        txt = r.stdout.decode("utf-8", "replace").replace("\f", "").strip("\n")
        l, p = ort_predict(sess, [txt])
        top = np.argsort(-p[0])[:2]
        out.append(dict(file=f, chars=len(txt), label=LABELS[int(l[0])], confidence=float(p[0].max()),
                        second=f"{LABELS[top[1]]} {p[0][top[1]]:.2f}", text_head=re.sub(r"\s+", " ", txt)[:70]))
    return out


# ----------------------------------------------------------------------------------------- reporting
def md_confusion(cm):
    short = ["pass", "natid", "dl", "medcert", "lab", "disch", "rx", "ref", "other"]
    lines = ["| true \\ predicted | " + " | ".join(short) + " |", "|---|" + "---:|" * len(short)]
    for i, row in enumerate(cm):
        lines.append(f"| {LABELS[i]} | " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines)


def md_perclass(m):
    lines = ["| label | precision | recall | F1 | n |", "|---|---:|---:|---:|---:|"]
    for k, v in m["per_class"].items():
        lines.append(f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |")
    return "\n".join(lines)


def write_readme_metrics(res):
    m, mt = res["heldout_ocr"], res["heldout_text"]
    pct = lambda v: "n/a" if v is None else f"{100 * v:.1f} %"  # noqa: E731
    s = []
    s.append(f"_Generated by `models/train/train.py` on {res['trained_at']} (version {VERSION}); do not edit by hand._\n")
    s.append(f"- ONNX file: `models/doc-classifier.onnx`, {res['onnx_bytes'] / 1e6:.2f} MB, SHA-256 `{res['sha256']}`")
    s.append(f"- Vocabulary: {res['vocab_size']} word 1–2-grams; temperature T = {res['temperature']:.3f} folded into the weights")
    s.append(f"- Training documents: {res['n_train']} ({res['n_train_ocr']} real Tesseract OCR of rendered scans, the rest text / simulated OCR noise)")
    s.append(f"- Training run: {res['timing']['total_s'] / 60:.1f} min end to end on this machine (OCR {res['timing']['ocr_s'] / 60:.1f} min with {res['jobs']} processes)")
    s.append(f"- ONNX Runtime vs scikit-learn on all held-out documents: max |Δp| = {res['ort_max_abs_diff']:.2e}, labels identical: {res['ort_labels_equal']}")
    t = res["ort_timing"]
    s.append(f"- ONNX Runtime 1 thread, one document per call: mean {t['mean_ms']:.3f} ms, p50 {t['p50_ms']:.3f} ms, p95 {t['p95_ms']:.3f} ms, "
             f"max {t['max_ms']:.3f} ms; a {t['long_doc_chars']:,}-character multi-page text: {t['long_doc_ms']:.1f} ms")
    s.append("\n### Held-out set A — scanned and OCR'd (primary)\n")
    s.append(f"{m['n']} documents, {CFG['n_ho_ocr_per_label']} per label, generated from seeds training never uses, all rendered as degraded scans "
             f"and read with Tesseract `nor+eng`; {res['heldout_ocr_ood_n']} of them from held-out templates never used in training, "
             f"about half rendered with fonts never used in training.\n")
    s.append(f"- **Accuracy: {pct(m['accuracy'])}** (seen templates {pct(res['heldout_ocr_id_acc'])}, held-out templates {pct(res['heldout_ocr_ood_acc'])})")
    s.append(f"- Expected calibration error (15 bins): {m['ece']:.3f}; negative log-likelihood {m['nll']:.3f}")
    s.append(f"- Confidence ≥ 0.70: {pct(m['frac_above_thr'])} of documents, accuracy among them {pct(m['acc_above_thr'])}; "
             f"below 0.70: accuracy {pct(m['acc_below_thr'])}\n")
    s.append(md_perclass(m) + "\n")
    s.append("Confusion matrix (rows = true label, columns = predicted):\n")
    s.append(md_confusion(m["confusion"]) + "\n")
    s.append(f"{m['empty_ocr']} of these scans came back from Tesseract (almost) empty (< 15 characters); they count as they were classified "
             "(the model gives an empty text `other` with low confidence).\n")
    s.append("Accuracy per template (★ = template never used in training):\n")
    s.append("| label | template | correct / n |\n|---|---|---:|")
    for k, v in m["per_template"].items():
        s.append(f"| {v['label']} | {'★ ' if v['heldout_template'] else ''}{k} | {v['correct']} / {v['n']} |")
    s.append("")
    s.append(f"Exact-duplicate texts shared with the training set: {res['heldout_exact_dups']['A']} "
             f"(texts: {', '.join(res['heldout_exact_dups']['A_texts']) or 'none'}).\n")
    s.append("All misclassified held-out scans:\n")
    s.append("| true | predicted | confidence | OCR text (start) |\n|---|---|---:|---|")
    for tl, pl, cf, tx in res["heldout_ocr_errors"]:
        s.append(f"| {tl} | {pl} | {cf:.2f} | {tx[:90].replace('|', '/') or '(empty)'} |")
    s.append("")
    s.append("Reliability (confidence bins of the top class):\n")
    s.append("| confidence | n | accuracy | mean confidence |\n|---|---:|---:|---:|")
    for lo, hi, n, acc, cf in m["ece_bins"]:
        s.append(f"| {lo:.2f}–{hi:.2f} | {n} | {acc:.3f} | {cf:.3f} |")
    s.append("\n### Held-out set B — text layer / simulated OCR noise (secondary)\n")
    s.append(f"{mt['n']} documents ({CFG['n_ho_text_per_label']} per label, 1/3 from held-out templates, half clean text, half simulated OCR noise).\n")
    s.append(f"- Accuracy: {pct(mt['accuracy'])}; ECE {mt['ece']:.3f}; confidence ≥ 0.70: {pct(mt['frac_above_thr'])}, accuracy among them {pct(mt['acc_above_thr'])}\n")
    s.append(md_confusion(mt["confusion"]) + "\n")
    s.append("### Sanity check on real scans (`tests/corpus/identity`, public specimen images)\n")
    if res.get("real"):
        s.append("Tesseract OCR of each image, then the model. Not used for training or tuning; reported as is.\n")
        s.append("| file | OCR chars | predicted | confidence | runner-up | OCR text (start) |\n|---|---:|---|---:|---|---|")
        for r in res["real"]:
            s.append(f"| {r['file']} | {r['chars']} | {r['label']} | {r['confidence']:.2f} | {r['second']} | {r['text_head'].replace('|', '/')} |")
    else:
        s.append("(folder not found on this machine; skipped)")
    s.append("\n### Calibration method\n")
    s.append(f"Temperature scaling on out-of-fold logits of the training set: a {CFG['cv_folds']}-fold cross-validation where fold k leaves out "
             f"the k-th template of every label (so its predictions are on unseen layouts, like the held-out templates) plus a stratified "
             f"{CFG['cv_folds']}-fold cross-validation; the temperature "
             f"minimises the log-loss over both sets of out-of-fold logits, i.e. it assumes a mix of familiar and unfamiliar layouts. "
             f"T = {res['temperature']:.3f} (out-of-fold NLL {res['cal_nll_before']:.3f} → {res['cal_nll_after']:.3f}; "
             f"out-of-fold accuracy: stratified {pct(res['cv_acc']['stratified'])}, template-grouped {pct(res['cv_acc']['group'])}).")
    return "\n".join(s) + "\n"


def update_readme(block):
    path = os.path.join(MODELS, "README.md")
    begin, end = "<!-- METRICS:BEGIN -->", "<!-- METRICS:END -->"
    txt = open(path).read() if os.path.exists(path) else "# Varde document classifier\n\n"
    if begin in txt and end in txt:
        a, b = txt.index(begin) + len(begin), txt.index(end)
        txt = txt[:a] + "\n" + block + txt[b:]
    else:
        txt += f"\n## Metrics\n\n{begin}\n{block}{end}\n"
    open(path, "w").write(txt)


# ---------------------------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2, help="parallel Tesseract processes (default 2)")
    ap.add_argument("--cache", default=None, help="optional OCR cache directory (development only)")
    ap.add_argument("--real-corpus", default=os.path.join(MODELS, "..", "tests", "corpus", "identity"))
    ap.add_argument("--out", default=MODELS)
    ap.add_argument("--quick", action="store_true", help="small run for testing the script (writes to a temp dir)")
    a = ap.parse_args()
    if a.quick:
        if os.path.abspath(a.out) == os.path.abspath(MODELS):
            a.out = os.path.join(tempfile.gettempdir(), "varde-doc-classifier-quick")  # never overwrite the shipped model
        CFG.update(n_text_per_label=200, n_ocr_train_per_label=4, n_ho_ocr_per_label=6, n_ho_text_per_label=20, cv_folds=3)
    t_start = time.time()
    timing = {}
    random.seed(0)
    np.random.seed(0)

    # 1. data ---------------------------------------------------------------------------------------
    log("generating text documents")
    t0 = time.time()
    Xt, yt, tpl_t, _ = text_docs(TRAIN_BASE, CFG["n_text_per_label"], 0.0, clean_frac=0.35, augment=True)
    Xhb, yhb, tpl_hb, ho_hb = text_docs(HELDOUT_BASE, CFG["n_ho_text_per_label"], CFG["ho_template_frac"], clean_frac=0.5)
    timing["text_gen_s"] = time.time() - t0
    tasks_tr = ocr_tasks(TRAIN_BASE, CFG["n_ocr_train_per_label"], 0.0, False)
    tasks_ho = ocr_tasks(HELDOUT_BASE, CFG["n_ho_ocr_per_label"], CFG["ho_template_frac"], True)
    log(f"OCR of {len(tasks_tr) + len(tasks_ho)} rendered documents with {a.jobs} tesseract processes")
    t0 = time.time()
    res = run_ocr(tasks_ho + tasks_tr, a.jobs, a.cache)
    timing["ocr_s"] = time.time() - t0
    res_ho, res_tr = res[:len(tasks_ho)], res[len(tasks_ho):]
    Xha = [r[0] for r in res_ho]
    yha = np.array([LABELS.index(t[0]) for t in tasks_ho])
    ho_ha = np.array([r[2] for r in res_ho])
    Xo = [r[0] for r in res_tr]
    yo = np.array([LABELS.index(t[0]) for t in tasks_tr])
    tpl_o = [r[1] for r in res_tr]

    # Unreadable scans: an (almost) empty OCR result can come from any kind of document, so every label gets a
    # few empty / junk-only texts. The model then answers an empty text with a low-confidence `other` instead
    # of a confident guess (blank pages of `other` itself are part of its templates).
    rng_u = random.Random(7)
    Xu = ["" if rng_u.random() < 0.5 else "".join(rng_u.choice("il1|.,:;'-_~ ") for _ in range(rng_u.randint(1, 12)))
          for _ in range(CFG["n_unreadable_per_label"] * len(LABELS))]
    yu = np.repeat(np.arange(len(LABELS)), CFG["n_unreadable_per_label"])
    X = Xt + Xo + Xu
    y = np.concatenate([yt, yo, yu])
    groups = np.array(tpl_t + tpl_o + ["unreadable"] * len(Xu))
    w = np.concatenate([np.ones(len(Xt)), np.full(len(Xo), CFG["ocr_weight"]), np.ones(len(Xu))])
    norm = lambda s: " ".join(s.lower().split())  # noqa: E731
    train_set = set(norm(s) for s in X)
    overlap_a = sum(norm(s) in train_set for s in Xha)
    overlap_a_texts = sorted(set(repr(norm(s)[:30]) for s in Xha if norm(s) in train_set))
    overlap_b = sum(norm(s) in train_set for s in Xhb)
    log(f"train {len(X)} docs; held-out A (OCR) {len(Xha)}, B (text) {len(Xhb)}; exact-duplicate texts in held-out: A {overlap_a}, B {overlap_b}")

    # 2. temperature from out-of-fold predictions ------------------------------------------------------
    # Two cross-validations on the training set: stratified k-fold (documents like the training templates)
    # and a template-grouped k-fold that mirrors the held-out design: fold k leaves out the k-th template
    # (mod k) of every label, so each label keeps most of its templates and its out-of-fold predictions are
    # on layouts the fold's model never saw. The temperature minimises the NLL over both sets of out-of-fold
    # logits together, i.e. it assumes the app sees a mix of familiar and unfamiliar layouts.
    from sklearn.model_selection import StratifiedKFold
    K = CFG["cv_folds"]
    fold_of = {}
    for li in range(len(LABELS)):
        for j, name in enumerate(sorted(set(groups[y == li]))):
            fold_of[name] = j % K
    tfold = np.array([fold_of[g] for g in groups])
    t0 = time.time()
    oofs = {}
    for name, splitter in (("stratified", StratifiedKFold(n_splits=K, shuffle=True, random_state=0).split(X, y)),
                           ("group", [(np.where(tfold != k)[0], np.where(tfold == k)[0]) for k in range(K)])):
        oof = np.zeros((len(X), len(LABELS)))
        for tr, te in splitter:
            p = build_pipeline(CFG)
            p.fit([X[i] for i in tr], y[tr], clf__sample_weight=w[tr])
            oof[te] = p.decision_function([X[i] for i in te])
        oofs[name] = oof
    T, nll_after, nll_before = fit_temperature(np.vstack([oofs["stratified"], oofs["group"]]), np.concatenate([y, y]))
    cv_acc = {k: float((v.argmax(1) == y).mean()) for k, v in oofs.items()}
    timing["cv_s"] = time.time() - t0
    log(f"CV accuracy {cv_acc}; temperature {T:.3f} (NLL {nll_before:.3f} -> {nll_after:.3f})")

    # 3. final fit -----------------------------------------------------------------------------------
    t0 = time.time()
    pipe = build_pipeline(CFG)
    pipe.fit(X, y, clf__sample_weight=w)
    clf = pipe.named_steps["clf"]
    clf.coef_ = (clf.coef_ / T).astype(clf.coef_.dtype)
    clf.intercept_ = (clf.intercept_ / T).astype(clf.intercept_.dtype)
    timing["fit_s"] = time.time() - t0
    vocab = len(pipe.named_steps["tfidf"].vocabulary_)
    log(f"final fit done, vocabulary {vocab}")

    # 4. export + checks -----------------------------------------------------------------------------
    os.makedirs(a.out, exist_ok=True)
    onnx_path = os.path.join(a.out, "doc-classifier.onnx")
    sha, nbytes = export_onnx(pipe, onnx_path)
    sess = ort_session(onnx_path)
    io_desc = dict(inputs=[(i.name, i.type, i.shape) for i in sess.get_inputs()],
                   outputs=[(o.name, o.type, o.shape) for o in sess.get_outputs()])
    assert [i[0] for i in io_desc["inputs"]] == ["text"], io_desc
    assert [o[0] for o in io_desc["outputs"]] == ["label", "probabilities"], io_desc
    all_ho = Xha + Xhb
    sk_p = pipe.predict_proba(all_ho)
    ort_l, ort_p = ort_predict(sess, all_ho)
    assert ort_l.dtype == np.int64 and ort_p.dtype == np.float32 and ort_p.shape == (len(all_ho), len(LABELS))
    maxdiff = float(np.abs(sk_p - ort_p).max())
    labels_equal = bool((ort_l == ort_p.argmax(1)).all() and (ort_l == sk_p.argmax(1)).all())
    log(f"ONNX {nbytes / 1e6:.2f} MB sha256 {sha}; ORT vs sklearn max|dp| = {maxdiff:.2e}, labels equal {labels_equal}")
    if maxdiff > 1e-4:
        raise SystemExit(f"ONNX Runtime disagrees with scikit-learn: {maxdiff}")

    # 5. evaluation (ONNX Runtime outputs: what the app will see) -------------------------------------
    pa, pb = ort_p[:len(Xha)].astype(np.float64), ort_p[len(Xha):].astype(np.float64)
    ma, mb = metrics(pa, yha), metrics(pb, yhb)
    id_acc = float((pa.argmax(1) == yha)[~ho_ha].mean())
    ood_acc = float((pa.argmax(1) == yha)[ho_ha].mean()) if ho_ha.any() else None
    timing_ort = ort_timing(sess, Xha + Xhb[:300])
    long_doc = "\f".join(Xhb[:300])[:100_000]  # a long (~100 000 characters) multi-page text
    timing_ort["long_doc_chars"] = len(long_doc)
    timing_ort["long_doc_ms"] = ort_timing(sess, [long_doc] * 20)["p50_ms"]
    log(f"held-out A (OCR): acc {ma['accuracy']:.4f} (seen tpl {id_acc:.4f}, held-out tpl {ood_acc}), ECE {ma['ece']:.3f}, "
        f">=0.70 {ma['frac_above_thr']:.3f} acc {ma['acc_above_thr']}")
    log(f"held-out B (text): acc {mb['accuracy']:.4f}, ECE {mb['ece']:.3f}")
    log(f"ORT per document: {timing_ort}")
    def per_template(pred, yy, tpl, ho):
        d = {}
        for pi, yi, ti, hi in zip(pred, yy, tpl, ho):
            e = d.setdefault(ti, dict(label=LABELS[yi], heldout_template=bool(hi), n=0, correct=0))
            e["n"] += 1
            e["correct"] += int(pi == yi)
        return dict(sorted(d.items(), key=lambda kv: (LABELS.index(kv[1]["label"]), kv[0])))
    tpl_ha = [r[1] for r in res_ho]
    ma["per_template"] = per_template(pa.argmax(1), yha, tpl_ha, ho_ha)
    mb["per_template"] = per_template(pb.argmax(1), yhb, tpl_hb, ho_hb)
    ma["empty_ocr"] = int(sum(len(s.strip()) < 15 for s in Xha))
    errs = [(LABELS[yha[i]], LABELS[int(pa[i].argmax())], round(float(pa[i].max()), 2), re.sub(r"\s+", " ", Xha[i])[:120])
            for i in range(len(Xha)) if pa[i].argmax() != yha[i]]
    empty_l, empty_p = ort_predict(sess, ["", "   "])

    real = None
    if a.real_corpus and os.path.isdir(a.real_corpus):
        log("sanity check on real identity scans")
        real = real_corpus_check(sess, os.path.abspath(a.real_corpus))
        for r in real:
            log(f"  {r['file']}: {r['label']} {r['confidence']:.2f} ({r['chars']} chars OCR)")

    timing["total_s"] = time.time() - t_start
    trained_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    result = dict(trained_at=trained_at, version=VERSION, sha256=sha, onnx_bytes=nbytes, vocab_size=vocab, temperature=T,
                  cal_nll_before=nll_before, cal_nll_after=nll_after, cv_acc=cv_acc, n_train=len(X), n_train_ocr=len(Xo),
                  heldout_ocr=ma, heldout_text=mb, heldout_ocr_id_acc=id_acc, heldout_ocr_ood_acc=ood_acc,
                  heldout_ocr_ood_n=int(ho_ha.sum()), heldout_exact_dups=dict(A=overlap_a, B=overlap_b, A_texts=overlap_a_texts),
                  ort_max_abs_diff=maxdiff, ort_labels_equal=labels_equal, ort_timing=timing_ort, io=io_desc,
                  empty_text=dict(label=LABELS[int(empty_l[0])], probabilities=[round(float(v), 4) for v in empty_p[0]]),
                  heldout_ocr_errors=errs, real=real, timing=timing, jobs=a.jobs, cfg=CFG,
                  env=dict(python=platform.python_version(), tesseract=subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]))
    meta = {"name": NAME, "version": VERSION, "labels": LABELS, "input": "text",
            "outputs": {"label": "label", "probabilities": "probabilities"}, "sha256": sha, "onnx_opset": OPSET,
            "trained_at": trained_at, "heldout_accuracy": round(ma["accuracy"], 4)}
    with open(os.path.join(a.out, "doc-classifier.json"), "w") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(HERE, "metrics.json"), "w") as f:
        json.dump(result, f, indent=1, ensure_ascii=False, default=str)
        f.write("\n")
    if a.out == MODELS and not a.quick:
        update_readme(write_readme_metrics(result))
    log(f"done in {timing['total_s'] / 60:.1f} min: {timing}")


if __name__ == "__main__":
    main()
