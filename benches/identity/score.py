#!/usr/bin/env python3
"""Scores Varde's identity-field extraction against ground truth: the generated set in GT_DIR
(benches/identity/generate.py: a text PDF and a 300 dpi scan per document) and the nine real
specimen scans in tests/corpus/identity/ (benches/identity/real-truth.json).

    python3 benches/identity/score.py GT_DIR [--varde PATH] [--jobs 2] [--limit N] [--no-real]

Runs `PATH analyze FILE --json` on every file (2 at a time), prints markdown tables (text PDFs,
scans, real scans side by side) and the failures, and writes GT_DIR/results.jsonl.
Names are compared after upper-casing, ICAO 9303 folding (Æ→AE, Ø→OE, Å→AA, Ü→UE, …, other
diacritics dropped) and collapsing spaces, hyphens and fillers; document numbers without spaces
and fillers; dates as YYYY-MM-DD.
"""
import argparse, json, os, re, statistics, subprocess, sys, time, unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ORT_FALLBACK = "/work/main/.deps/onnxruntime/libonnxruntime.so.1.31.1"
TRANSLIT = {"Æ": "AE", "Ø": "OE", "Å": "AA", "Ü": "UE", "Ä": "AE", "Ö": "OE", "ß": "SS",
            "Þ": "TH", "Ð": "D", "Œ": "OE", "Ñ": "N"}
LABEL_OF_KIND = {"passport": "passport", "national_id": "national_id", "td2": "national_id",
                 "visa": "other", "drivers_license": "drivers_license"}
MRZ_FORMAT = {"passport": "TD3", "national_id": "TD1", "td2": "TD2", "visa": "TD3"}  # MRV-A is 2x44
MRZ_FIELDS = ["surname", "given_names", "birth_date", "document_number", "expiry_date",
              "nationality", "sex", "issuing_state", "personal_number", "national_id"]
DL_FIELDS = ["surname", "given_names", "birth_date", "document_number", "expiry_date", "national_id"]
IDENTITY_EXACT = ["surname", "birth_date", "document_number", "expiry_date"]
DL_EXACT = ["surname", "given_names", "birth_date", "document_number", "expiry_date"]


def fold_name(s):
    out = []
    for ch in (s or "").upper():
        if ch in TRANSLIT:
            out.append(TRANSLIT[ch])
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)))
    s = "".join(out).replace("'", "").replace("’", "")
    return re.sub(r"[\s<\-,]+", " ", s).strip()


def norm(field, v):
    if v is None:
        return None
    v = str(v)
    if field in ("surname", "given_names"):
        return fold_name(v)
    if field in ("document_number", "personal_number", "national_id"):
        return re.sub(r"[\s<\-]", "", v.upper())
    if field in ("nationality", "issuing_state"):
        return v.upper().strip("<").replace("<", "")
    return v.strip()


def expected_alternatives(field, truth):
    """Accepted normalised values: the visual zone's, and the MRZ's when the MRZ name was cut."""
    alts = {norm(field, truth.get(field))}
    if field in ("surname", "given_names") and truth.get("mrz_name_truncated"):
        alts.add(norm(field, truth.get("mrz_" + field)))
    return alts - {None}


def run_varde(varde, path, env, timeout):
    for attempt in range(4):
        try:
            t0 = time.monotonic()
            p = subprocess.run([varde, "analyze", str(path), "--json"], capture_output=True,
                               env=env, timeout=timeout)
            wall = time.monotonic() - t0
        except subprocess.TimeoutExpired:
            return None, f"timeout after {timeout} s", None
        except OSError as e:  # binary missing or busy (being rebuilt): retry a minute later
            if attempt == 3:
                return None, f"cannot run {varde}: {e}", None
            print(f"cannot run {varde} ({e}); retrying in 60 s", file=sys.stderr)
            time.sleep(60)
            continue
        if p.returncode != 0 or not p.stdout.strip():
            err = p.stderr.decode("utf-8", "replace").strip().splitlines()
            return None, f"exit {p.returncode}: {err[-1] if err else ''}", wall
        try:
            return json.loads(p.stdout), None, wall
        except json.JSONDecodeError as e:
            return None, f"bad JSON: {e}", wall
    return None, "unreachable", None


def evaluate(group, file, truth, out, error, wall):
    kind = truth["kind"]
    r = {"group": group, "file": file, "kind": kind, "error": error, "wall_s": round(wall or 0, 3)}
    if out is None:
        r.update(fields={}, mrz_ok=False, label=None, confidence=None, checks={})
        return r
    fields = out.get("fields") or {}
    got = {k: (v or {}).get("value") for k, v in fields.items()}
    warnings = sorted({w for v in fields.values() for w in (v or {}).get("warnings", [])})
    r["got"] = got
    r["warnings"] = {k: v.get("warnings", []) for k, v in fields.items() if v and v.get("warnings")}
    has_mrz = truth.get("mrz") is not None
    r["has_mrz"] = has_mrz
    r["mrz_ok"] = has_mrz and "mrz" in fields and "mrz_check_failed" not in warnings
    r["mrz_format"] = got.get("mrz")
    r["mrz_format_expected"] = MRZ_FORMAT.get(kind) if has_mrz else None
    checks = {}
    for f in (MRZ_FIELDS if has_mrz else DL_FIELDS):
        if f == "national_id" and truth.get(f) is None:
            checks["spurious_national_id"] = got.get("national_id") is None
            continue
        alts = expected_alternatives(f, truth)
        if not alts:
            continue
        checks[f] = norm(f, got.get(f)) in alts
    r["checks"] = checks
    r["identity_exact"] = has_mrz and all(checks.get(f) for f in IDENTITY_EXACT)
    r["dl_exact"] = kind == "drivers_license" and all(checks.get(f) for f in DL_EXACT)
    c = out.get("classification") or {}
    r["label"], r["confidence"] = c.get("label"), c.get("confidence")
    r["label_expected"] = LABEL_OF_KIND[kind]
    r["label_ok"] = r["label"] == r["label_expected"]
    thr = c.get("threshold", 0.7)
    # Shown as a plain answer: at or above the threshold and not marked uncertain (a label the
    # document's own MRZ contradicts is shown as uncertain whatever the model's probability).
    r["confident_wrong"] = ((not r["label_ok"]) and r["confidence"] is not None
                            and r["confidence"] >= thr and not c.get("uncertain", False))
    t = out.get("timings_ms") or {}
    pages = max(1, out.get("pages") or 1)
    r["extract_fields_ms_per_page"] = t.get("extract_fields", 0) / pages
    r["ocr_ms"] = t.get("ocr")
    r["total_ms"] = t.get("total")
    r["text_source"] = out.get("text_source")
    return r


def pct(n, d):
    return "–" if d == 0 else f"{100 * n / d:.1f}% ({n}/{d})"


def table(groups, results):
    cols = {g: [r for r in results if r["group"] == g] for g in groups}
    rows = []

    def row(name, fn):
        rows.append("| " + name + " | " + " | ".join(fn(cols[g]) for g in groups) + " |")

    row("documents", lambda rs: str(len(rs)))
    row("analyze errors", lambda rs: str(sum(1 for r in rs if r["error"])))
    row("MRZ read, check digits valid (of MRZ documents)",
        lambda rs: pct(sum(r["mrz_ok"] for r in rs if r.get("has_mrz")), sum(1 for r in rs if r.get("has_mrz"))))
    row("MRZ format as expected (TD1/TD2/TD3)",
        lambda rs: pct(sum(r.get("mrz_format") == r.get("mrz_format_expected") for r in rs if r.get("has_mrz")),
                       sum(1 for r in rs if r.get("has_mrz"))))
    row("identity fields exact (surname, birth, number, expiry; MRZ docs)",
        lambda rs: pct(sum(r["identity_exact"] for r in rs if r.get("has_mrz")), sum(1 for r in rs if r.get("has_mrz"))))
    row("driving licence fields exact (names, birth, number, expiry)",
        lambda rs: pct(sum(r["dl_exact"] for r in rs if r["kind"] == "drivers_license"),
                       sum(1 for r in rs if r["kind"] == "drivers_license")))
    for f in MRZ_FIELDS:
        for scope, sel in (("MRZ docs", lambda r: r.get("has_mrz")),
                           ("licences", lambda r: r["kind"] == "drivers_license")):
            if scope == "licences" and f not in DL_FIELDS:
                continue
            row(f"{f} ({scope})", lambda rs, f=f, sel=sel: pct(
                sum(r["checks"][f] for r in rs if sel(r) and f in r["checks"]),
                sum(1 for r in rs if sel(r) and f in r["checks"])))
    row("no national_id where none is printed",
        lambda rs: pct(sum(r["checks"]["spurious_national_id"] for r in rs if "spurious_national_id" in r["checks"]),
                       sum(1 for r in rs if "spurious_national_id" in r["checks"])))
    row("classification label correct", lambda rs: pct(sum(bool(r.get("label_ok")) for r in rs), len(rs)))
    row("confident wrong label (≥ threshold, not marked uncertain)", lambda rs: str(sum(bool(r.get("confident_wrong")) for r in rs)))

    def med(key):
        def f(rs):
            v = [r[key] for r in rs if r.get(key) is not None]
            return "–" if not v else f"{statistics.median(v):.0f}"
        return f
    row("median extract_fields ms per page", med("extract_fields_ms_per_page"))
    row("median ocr ms", med("ocr_ms"))
    row("median total ms", med("total_ms"))
    head = "| metric | " + " | ".join(groups.values()) + " |\n|---|" + "---|" * len(groups)
    return head + "\n" + "\n".join(rows)


def per_kind(results):
    kinds = ["passport", "national_id", "td2", "visa", "drivers_license"]
    out = ["| kind | group | n | MRZ valid | identity exact | licence exact | label correct |", "|---|---|---|---|---|---|---|"]
    for k in kinds:
        for g in ("pdf", "scan", "real"):
            rs = [r for r in results if r["group"] == g and r["kind"] == k]
            if not rs:
                continue
            mrz = k != "drivers_license"
            out.append(f"| {k} | {g} | {len(rs)} | "
                       f"{pct(sum(r['mrz_ok'] for r in rs), len(rs)) if mrz else '–'} | "
                       f"{pct(sum(r['identity_exact'] for r in rs), len(rs)) if mrz else '–'} | "
                       f"{'–' if mrz else pct(sum(r['dl_exact'] for r in rs), len(rs))} | "
                       f"{pct(sum(bool(r.get('label_ok')) for r in rs), len(rs))} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gt_dir")
    target = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/varde-target")
    ap.add_argument("--varde", default=os.path.join(target, "debug", "varde"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--limit", type=int, help="only the first N generated documents")
    ap.add_argument("--no-real", action="store_true", help="skip the nine real specimen scans")
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
    tasks = []
    for t in truth:
        tasks.append(("pdf", gt / t["file_pdf"], t))
        tasks.append(("scan", gt / t["file_scan"], t))
    if not a.no_real:
        real = json.loads((HERE / "real-truth.json").read_text(encoding="utf-8"))["documents"]
        for f, t in real.items():
            tasks.append(("real", REPO / "tests/corpus/identity" / f, t))

    done = [0]
    t_start = time.monotonic()

    def work(task):
        group, path, t = task
        out, err, wall = run_varde(a.varde, path, env, a.timeout)
        r = evaluate(group, path.name, t, out, err, wall)
        done[0] += 1
        if done[0] % 20 == 0 or done[0] == len(tasks):
            print(f"  {done[0]}/{len(tasks)} analysed ({time.monotonic() - t_start:.0f} s)", file=sys.stderr)
        return r, t

    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        pairs = list(ex.map(work, tasks))
    results = [r for r, _ in pairs]
    with open(gt / "results.jsonl", "w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    groups = {"pdf": "text PDFs", "scan": "scans (300 dpi JPEG)", "real": "real scans (9)"}
    groups = {g: n for g, n in groups.items() if any(r["group"] == g for r in results)}
    print(f"## Identity extraction — {a.varde}\n")
    print(table(groups, results))
    print("\n### By kind\n")
    print(per_kind(results))

    # failures, and which fields fail most
    print("\n### Failures (file, field: expected → got)\n")
    counts = {}
    for r, t in pairs:
        if r["error"]:
            print(f"- {r['group']} {r['file']}: ERROR {r['error']}")
            continue
        if r.get("has_mrz") and not r["mrz_ok"]:
            w = {k: v for k, v in r.get("warnings", {}).items() if "mrz_check_failed" in v}
            why = "no MRZ found" if "mrz" not in r["got"] else f"mrz_check_failed on {sorted(w)}"
            print(f"- {r['group']} {r['file']} mrz: {why}")
            counts[(r["group"], "mrz")] = counts.get((r["group"], "mrz"), 0) + 1
        for f, ok in r["checks"].items():
            if ok:
                continue
            counts[(r["group"], f)] = counts.get((r["group"], f), 0) + 1
            if f == "spurious_national_id":
                print(f"- {r['group']} {r['file']} national_id: expected none → {r['got'].get('national_id')!r}")
            else:
                print(f"- {r['group']} {r['file']} {f}: {t.get(f)!r} → {r['got'].get(f)!r}")
        if not r.get("label_ok"):
            print(f"- {r['group']} {r['file']} label: {r['label_expected']} → {r['label']} ({r['confidence']})")
            counts[(r["group"], "label")] = counts.get((r["group"], "label"), 0) + 1
    print("\n### Most failing (group, field: failures)\n")
    for (g, f), n in sorted(counts.items(), key=lambda kv: -kv[1])[:25]:
        print(f"- {g} {f}: {n}")
    print(f"\nper-document results: {gt / 'results.jsonl'}")


if __name__ == "__main__":
    main()
