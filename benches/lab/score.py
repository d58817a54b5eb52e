#!/usr/bin/env python3
"""Scores Varde's clinical extraction against the synthetic lab reports of benches/lab/generate.py:
observations F1 (canonical name, value and flag all right; blood pressure by both components)
and clinical fields exact (patient name, date of birth, national ID, document date), for the
text PDFs and the 300 dpi scans.

    python3 benches/lab/score.py GT_DIR [--varde PATH] [--jobs 2] [--limit N]

Runs `PATH analyze FILE --json` on every file, prints a markdown table and the misses, and
writes GT_DIR/results.jsonl.
"""
import argparse, json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
ORT_FALLBACK = "/work/main/.deps/onnxruntime/libonnxruntime.so.1.31.1"
FIELDS = ["patient_name", "birth_date", "national_id", "document_date"]


def analyze(varde, path, env, timeout):
    try:
        p = subprocess.run([varde, "analyze", str(path), "--json"], capture_output=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    try:
        return json.loads(p.stdout)
    except json.JSONDecodeError:
        return None


def same(a, b):
    return a is not None and b is not None and abs(a - b) < 1e-6


def match(truth, predicted):
    """True positives: each truth observation matched by at most one predicted one."""
    used, tp, misses = set(), 0, []
    for t in truth:
        hit = None
        for i, o in enumerate(predicted):
            if i in used or o.get("name") != t["name"] or o.get("flag") != t["flag"]:
                continue
            if t.get("components"):
                vals = [c.get("value") for c in o.get("components", [])]
                ok = len(vals) == 2 and all(same(x, y) for x, y in zip(vals, t["components"]))
            else:
                ok = same(o.get("value"), t["value"])
            if ok:
                hit = i
                break
        if hit is None:
            misses.append(t)
        else:
            used.add(hit)
            tp += 1
    extra = [o for i, o in enumerate(predicted) if i not in used]
    return tp, misses, extra


def field_values(a):
    f = a.get("fields", {})
    v = lambda k: (f.get(k) or {}).get("value")
    name = " ".join(x for x in [v("given_names"), v("surname")] if x) or None
    return {"patient_name": name, "birth_date": v("birth_date"), "national_id": v("national_id"),
            "document_date": v("document_date") or v("issue_date")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gt_dir")
    ap.add_argument("--varde", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "/var/tmp/varde-target"), "debug", "varde"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--limit", type=int)
    a = ap.parse_args()
    gt = Path(a.gt_dir)
    env = dict(os.environ)
    if "VARDE_ORT_DYLIB" not in env:
        local = REPO / ".deps/onnxruntime/libonnxruntime.so.1.31.1"
        env["VARDE_ORT_DYLIB"] = str(local if local.exists() else ORT_FALLBACK)
    env.setdefault("VARDE_MODEL_DIR", str(REPO / "models"))
    env["OMP_THREAD_LIMIT"] = "1"
    truth = [json.loads(l) for l in (gt / "truth.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    if a.limit:
        truth = truth[:a.limit]
    tasks = [(kind, gt / t["file_" + kind], t) for t in truth for kind in ("pdf", "scan")]
    with ThreadPoolExecutor(a.jobs) as pool:
        outs = list(pool.map(lambda task: analyze(a.varde, task[1], env, a.timeout), tasks))
    stats = {k: {"tp": 0, "truth": 0, "pred": 0, "fields": {f: 0 for f in FIELDS}, "docs": 0, "failed": 0}
             for k in ("pdf", "scan")}
    results = []
    for (kind, path, t), out in zip(tasks, outs):
        s = stats[kind]
        s["docs"] += 1
        s["truth"] += len(t["observations"])
        if out is None or "observations" not in out:
            s["failed"] += 1
            results.append({"file": path.name, "error": True})
            continue
        pred = out["observations"]
        tp, misses, extra = match(t["observations"], pred)
        s["tp"] += tp
        s["pred"] += len(pred)
        got = field_values(out)
        for f in FIELDS:
            s["fields"][f] += int(got[f] == t["fields"][f])
        results.append({"file": path.name, "tp": tp, "misses": misses, "extra": extra, "fields": got})
    with open(gt / "results.jsonl", "w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    def f1(s):
        p = s["tp"] / s["pred"] if s["pred"] else 0.0
        r = s["tp"] / s["truth"] if s["truth"] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    print("| measure | text PDFs | scans |\n|---|---|---|")
    P, S = stats["pdf"], stats["scan"]
    print(f"| documents (failed) | {P['docs']} ({P['failed']}) | {S['docs']} ({S['failed']}) |")
    print(f"| observations (truth / read / right) | {P['truth']} / {P['pred']} / {P['tp']} | {S['truth']} / {S['pred']} / {S['tp']} |")
    for label, i in (("precision", 0), ("recall", 1), ("**observations F1**", 2)):
        print(f"| {label} | {f1(P)[i]:.3f} | {f1(S)[i]:.3f} |")
    for f in FIELDS:
        print(f"| field exact: {f} | {P['fields'][f] / P['docs']:.0%} | {S['fields'][f] / S['docs']:.0%} |")
    allp = sum(P["fields"].values()) / (P["docs"] * len(FIELDS))
    alls = sum(S["fields"].values()) / (S["docs"] * len(FIELDS))
    print(f"| **clinical fields exact (all four)** | {allp:.0%} | {alls:.0%} |")
    shown = 0
    for r in results:
        if r.get("error") or r["misses"] or r["extra"]:
            if shown < 15:
                print(f"\n{r['file']}: " + ("analysis failed" if r.get("error") else
                      f"missed {[(m['name'], m['value'], m['flag']) for m in r['misses']]}; "
                      f"extra {[(o.get('name') or o.get('label'), o.get('value'), o.get('flag')) for o in r['extra']]}"),
                      file=sys.stderr)
            shown += 1


if __name__ == "__main__":
    main()
