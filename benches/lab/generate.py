#!/usr/bin/env python3
"""Ground truth for clinical extraction: synthetic lab reports (no real person), bokmål and
English, with known observations and fields, each as a text PDF (hand-written PDF, Helvetica,
WinAnsiEncoding) and as a 300 dpi scan (PIL: DejaVu Sans, skew, blur, noise, JPEG), plus
truth.jsonl. Deterministic for a given seed. Independent of models/train (own code, own
wording) and of the vocabulary file: the analytes, spellings, units and ranges below are this
generator's own.

    python3 benches/lab/generate.py OUT_DIR [--count N] [--seed S]

Layouts: `columns` (name, result, unit, range, flag in separate columns), `flag-first`
(name, result, flag, unit, range), `inline` ("Hb: 11,2 g/dL (ref. 11,7–15,3) L"), `star`
(value with a glued * or H/L, range in brackets). Ranges are printed as `a-b`, `a – b`, `(a-b)`,
`<b`, `> a`. Each report has a vitals line with two to four vitals separated only by spaces.
"""
import argparse, datetime as dt, io, json, math, os, random, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "identity"))
from generate import fodselsnummer, NO_SURNAMES, NO_GIVEN_F, NO_GIVEN_M  # noqa: E402
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont  # noqa: E402

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 300
PX = DPI / 25.4
PT = 72 / 25.4
EN_SURNAMES = ["Smith", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Hughes", "Green"]
EN_GIVEN = {"F": ["Emily", "Olivia", "Grace", "Lucy"], "M": ["James", "Oliver", "Harry", "Jack"]}

# canonical name, nb spellings, en spellings, printed unit, (low, high) or (None, high) / (low, None),
# typical value range, decimals
ANALYTES = [
    ("Hemoglobin", ["Hemoglobin", "Hb", "B-Hemoglobin"], ["Haemoglobin", "Hb"], "g/dL", (11.7, 15.3), (8, 18), 1),
    ("Leukocytes", ["Leukocytter", "LPK", "B-Leukocytter"], ["White cell count", "WBC"], "x10^9/L", (3.5, 10.0), (2, 15), 1),
    ("Platelets", ["Trombocytter", "TPK"], ["Platelets", "PLT"], "x10^9/L", (145, 390), (80, 500), 0),
    ("Sodium", ["Natrium", "S-Natrium"], ["Sodium", "Na"], "mmol/L", (137, 145), (128, 150), 0),
    ("Potassium", ["Kalium", "S-Kalium"], ["Potassium", "K"], "mmol/L", (3.5, 5.0), (2.9, 6.1), 1),
    ("Creatinine", ["Kreatinin", "S-Kreatinin"], ["Creatinine"], "µmol/L", (45, 90), (35, 160), 0),
    ("C-reactive protein", ["CRP", "S-CRP"], ["CRP", "C-reactive protein"], "mg/L", (None, 5), (0, 80), 0),
    ("Hemoglobin A1c", ["HbA1c"], ["HbA1c"], "mmol/mol", (20, 42), (30, 80), 0),
    ("Glucose", ["Glukose", "Glukose (fastende)"], ["Glucose", "Fasting glucose"], "mmol/L", (4.0, 6.0), (3.5, 12), 1),
    ("Alanine aminotransferase", ["ALAT", "S-ALAT"], ["ALT"], "U/L", (10, 45), (8, 120), 0),
    ("Aspartate aminotransferase", ["ASAT"], ["AST"], "U/L", (15, 35), (10, 90), 0),
    ("Gamma-glutamyltransferase", ["GT", "Gamma-GT"], ["GGT"], "U/L", (10, 45), (8, 150), 0),
    ("Alkaline phosphatase", ["ALP", "Alkalisk fosfatase"], ["ALP", "Alkaline phosphatase"], "U/L", (35, 105), (30, 200), 0),
    ("Bilirubin", ["Bilirubin"], ["Bilirubin", "Total bilirubin"], "µmol/L", (5, 25), (3, 50), 0),
    ("Albumin", ["Albumin"], ["Albumin"], "g/L", (36, 48), (28, 52), 0),
    ("Thyrotropin", ["TSH"], ["TSH"], "mIU/L", (0.4, 4.0), (0.1, 9), 2),
    ("Free thyroxine", ["Fritt T4", "FT4"], ["Free T4"], "pmol/L", (12, 22), (8, 30), 1),
    ("Ferritin", ["Ferritin"], ["Ferritin"], "µg/L", (15, 200), (5, 400), 0),
    ("Iron", ["Jern"], ["Iron"], "µmol/L", (9, 34), (4, 40), 0),
    ("Transferrin saturation", ["Transferrinmetning"], ["Transferrin saturation"], "%", (15, 50), (8, 60), 0),
    ("Vitamin B12", ["Vitamin B12", "Kobalamin"], ["Vitamin B12"], "pmol/L", (150, 650), (100, 900), 0),
    ("Folate", ["Folat"], ["Folate"], "nmol/L", (7, 45), (4, 50), 0),
    ("25-hydroxyvitamin D", ["25-OH vitamin D", "Vitamin D"], ["25-OH vitamin D", "Vitamin D"], "nmol/L", (50, 150), (20, 160), 0),
    ("INR", ["INR"], ["INR"], "", (0.8, 1.2), (0.9, 3.5), 1),
    ("eGFR", ["eGFR"], ["eGFR"], "mL/min/1.73m2", (60, None), (40, 89), 0),
    ("Cholesterol", ["Kolesterol", "Totalkolesterol"], ["Cholesterol", "Total cholesterol"], "mmol/L", (3.3, 6.9), (3, 8), 1),
    ("LDL cholesterol", ["LDL-kolesterol"], ["LDL cholesterol"], "mmol/L", (1.2, 4.8), (1, 6), 1),
    ("HDL cholesterol", ["HDL-kolesterol"], ["HDL cholesterol"], "mmol/L", (1.0, 2.7), (0.7, 2.9), 1),
    ("Triglycerides", ["Triglyserider"], ["Triglycerides"], "mmol/L", (0.45, 2.6), (0.5, 4), 1),
    ("Urate", ["Urat", "Urinsyre"], ["Urate", "Uric acid"], "µmol/L", (155, 350), (150, 500), 0),
]
# canonical name, nb word, en word, unit, default range (Varde's), value range, decimals
VITALS = [
    ("Heart rate", "Puls", "Pulse", "/min", (50, 100), (45, 120), 0),
    ("Body temperature", "Temp", "Temp", "°C", (36.0, 37.9), (36.0, 39.5), 1),
    ("Oxygen saturation", "SpO2", "SpO2", "%", (95, 100), (89, 100), 0),
    ("Respiratory rate", "RF", "Resp rate", "/min", (12, 20), (10, 28), 0),
]
LAYOUTS = ["columns", "flag-first", "inline", "star"]


def num(v, dec, lang):
    s = f"{v:.{dec}f}"
    return s.replace(".", ",") if lang == "nb" else s


def rng_text(r, lang, rng):
    lo, hi = r
    if lo is None:
        return rng.choice([f"<{num(hi, 0, lang)}", f"< {num(hi, 0, lang)}"])
    if hi is None:
        return rng.choice([f">{num(lo, 0, lang)}", f"> {num(lo, 0, lang)}"])
    dec = max(len(str(lo).split(".")[1]) if "." in str(lo) and not float(lo).is_integer() else 0,
              len(str(hi).split(".")[1]) if "." in str(hi) and not float(hi).is_integer() else 0)
    a, b = num(lo, dec, lang), num(hi, dec, lang)
    return rng.choice([f"{a}-{b}", f"{a} – {b}", f"({a}-{b})"])


def flag_of(v, r):
    lo, hi = r
    if lo is not None and v < lo:
        return "low"
    if hi is not None and v > hi:
        return "high"
    return "normal"


def report(rng, idx):
    lang = rng.choice(["nb", "en"])
    layout = LAYOUTS[idx % len(LAYOUTS)]
    sex = rng.choice("FM")
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 60 * 365))
    if lang == "nb":
        surname = rng.choice(NO_SURNAMES)
        given = rng.choice(NO_GIVEN_F if sex == "F" else NO_GIVEN_M)
    else:
        surname, given = rng.choice(EN_SURNAMES), rng.choice(EN_GIVEN[sex])
    fnr = fodselsnummer(rng, birth, sex)
    taken = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
    lines = []  # (x_mm, text) rows; a row is a list of cells
    if lang == "nb":
        lines += [[(20, "Laboratoriesvar – Medisinsk biokjemi")], [(20, f"Pasient: {given} {surname}")],
                  [(20, f"Fødselsnummer: {fnr[:6]} {fnr[6:]}")], [(20, f"Født: {birth:%d.%m.%Y}")],
                  [(20, f"Prøvetatt: {taken:%d.%m.%Y}")], [(20, "Rekvirent: Demo legesenter")]]
        head = ["Analyse", "Resultat", "Enhet", "Referanse", ""]
    else:
        lines += [[(20, "Laboratory report – Clinical chemistry")], [(20, f"Patient: {given} {surname}")],
                  [(20, f"National ID: {fnr}")], [(20, f"Date of birth: {birth:%d/%m/%Y}")],
                  [(20, f"Collected: {taken:%Y-%m-%d}")], [(20, "Requested by: Demo clinic")]]
        head = ["Test", "Result", "Unit", "Reference range", ""]
    cols = [20, 75, 100, 130, 170]
    if layout == "flag-first":
        head = [head[0], head[1], head[4] or "Flag", head[2], head[3]]
        cols = [20, 75, 95, 110, 145]
    if layout in ("columns", "flag-first"):
        lines.append([(x, h) for x, h in zip(cols, head) if h])
    truth = []
    for a in rng.sample(ANALYTES, rng.randint(8, 14)):
        name, nb, en, unit, r, (vlo, vhi), dec = a
        v = round(rng.uniform(vlo, vhi), dec)
        label = rng.choice(nb if lang == "nb" else en)
        f = flag_of(v, r)
        mark = {"low": "L", "high": "H", "normal": ""}[f]
        vs, rs = num(v, dec, lang), rng_text(r, lang, rng)
        if layout == "columns":
            cells = [label, vs, unit, rs, mark]
            lines.append([(x, c) for x, c in zip(cols, cells) if c])
        elif layout == "flag-first":
            cells = [label, vs, mark, unit, rs]
            lines.append([(x, c) for x, c in zip(cols, cells) if c])
        elif layout == "inline":
            ref = "ref." if lang == "nb" else "ref"
            rs_in = rs.strip("()")
            lines.append([(20, f"{label}: {vs} {unit} ({ref} {rs_in}) {mark}".replace("  ", " ").strip())])
        else:
            glued = vs + ("*" if f != "normal" and rng.random() < 0.5 else mark)
            lines.append([(20, f"{label} {glued} {unit} [{rs.strip('()')}]".replace("  ", " "))])
        truth.append({"name": name, "value": v, "flag": f})
    vitals = []
    bp = (rng.randint(105, 165), rng.randint(62, 98))
    vit_truth = [{"name": "Blood pressure", "value": None, "components": list(bp),
                  "flag": "high" if bp[0] > 139 or bp[1] > 89 else "normal"}]
    vitals.append(f"{'BT' if lang == 'nb' else 'BP'} {bp[0]}/{bp[1]} mmHg")
    for name, nbw, enw, unit, r, (vlo, vhi), dec in rng.sample(VITALS, rng.randint(1, 3)):
        v = round(rng.uniform(vlo, vhi), dec)
        vitals.append(f"{nbw if lang == 'nb' else enw} {num(v, dec, lang)} {unit}")
        vit_truth.append({"name": name, "value": v, "flag": flag_of(v, r)})
    lines.append([(20, ("Ved innkomst: " if lang == "nb" else "On admission: ") + "  ".join(vitals))])
    lines.append([(20, "Side 1 av 1" if lang == "nb" else "Page 1 of 1")])
    fields = {"patient_name": f"{given} {surname}", "birth_date": birth.isoformat(),
              "national_id": fnr, "document_date": taken.isoformat()}
    return lang, layout, lines, truth + vit_truth, fields


def pdf_str(s):
    out = []
    for b in s.encode("cp1252"):
        out.append("\\" + chr(b) if b in (0x28, 0x29, 0x5C) else chr(b) if 32 <= b < 127 else "\\%03o" % b)
    return "(" + "".join(out) + ")"


def write_pdf(lines, path):
    W, H = 210 * PT, 297 * PT
    ops = []
    for i, row in enumerate(lines):
        y = 25 + i * 7
        for x, text in row:
            ops.append(f"BT /F1 10 Tf 1 0 0 1 {x * PT:.2f} {H - y * PT:.2f} Tm {pdf_str(text)} Tj ET")
    content = "\n".join(ops).encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {W:.2f} {H:.2f}] /Contents 4 0 R "
             f"/Resources << /Font << /F1 5 0 R >> >> >>").encode(),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


def render_scan(lines, path, rng):
    w, h = round(210 * PX), round(297 * PX)
    img = Image.new("RGB", (w, h), (252, 252, 250))
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(DEJAVU, round(10 * DPI / 72))
    for i, row in enumerate(lines):
        y = 25 + i * 7
        for x, text in row:
            d.text((x * PX, y * PX), text, font=font, fill=(25, 25, 30), anchor="ls")
    img = img.rotate(rng.uniform(-1.2, 1.2), resample=Image.BICUBIC, fillcolor=(250, 250, 248))
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0)))
    noise = Image.effect_noise(img.size, rng.uniform(5, 12)).convert("RGB")
    img = ImageChops.add(img, noise, 1.0, -128)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rng.randint(60, 85), dpi=(DPI, DPI))
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1212)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "truth.jsonl"), "w", encoding="utf-8") as out:
        for i in range(1, a.count + 1):
            rng = random.Random(f"{a.seed}-{i}")
            lang, layout, lines, obs, fields = report(rng, i)
            stem = f"{i:03d}-lab-{lang}-{layout}"
            write_pdf(lines, os.path.join(a.out, stem + ".pdf"))
            render_scan(lines, os.path.join(a.out, stem + ".jpg"), rng)
            out.write(json.dumps({"file_pdf": stem + ".pdf", "file_scan": stem + ".jpg", "language": lang,
                                  "layout": layout, "observations": obs, "fields": fields},
                                 ensure_ascii=False) + "\n")
    print(f"{a.count} lab reports in {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
