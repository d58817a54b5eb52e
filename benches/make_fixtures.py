#!/usr/bin/env python3
"""Renders the synthetic documents the pipeline benchmarks use (no real person):
an A4 page at 300 dpi as a grey-scale scan, a 20-page scanned PDF (JPEG pages), and a mixed batch
of 100 documents (text PDFs and small scans). Deterministic for a given seed."""
import io, os, random, sys
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES_NB = [
    "Laboratoriesvar - Klinisk kjemi", "Rekvirent: Demo legekontor, Storgata 1, 0155 Oslo",
    "Prøvetatt: 20.11.2026 kl. 08:15   Mottatt: 20.11.2026 kl. 09:02",
    "Analyse              Resultat   Enhet      Referanseområde",
    "Hemoglobin           11.9       g/dL       13.4 - 17.0     L",
    "CRP                  42         mg/L       < 5             H",
    "HbA1c                41         mmol/mol   20 - 42",
    "Kreatinin            88         µmol/L     60 - 105",
    "Leukocytter          12.1       10^9/L     3.5 - 10.0      H",
    "Vurdering: forhøyet CRP og leukocytter, lav hemoglobin. Ny kontroll om to uker.",
]
LINES_EN = [
    "Discharge summary - Department of Internal Medicine",
    "Admitted 14.11.2026, discharged 19.11.2026. Diagnosis: community-acquired pneumonia (J18.9).",
    "Treatment: intravenous benzylpenicillin, then oral amoxicillin 750 mg three times daily.",
    "Follow-up: general practitioner in one week; chest X-ray in six weeks.",
]

def page(rng, width=2480, height=3508, lines=None, size=42):
    img = Image.new("L", (width, height), 250)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, size)
    y = 220
    body = lines or (LINES_NB + LINES_EN)
    while y < height - 300:
        for line in body:
            d.text((200, y), line, fill=rng.randint(10, 40), font=font)
            y += int(size * 1.6)
            if y > height - 300:
                break
        y += size
    img = img.rotate(rng.uniform(-1.0, 1.0), fillcolor=250, resample=Image.BICUBIC)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    noise = Image.effect_noise((width, height), 12).convert("L")
    return Image.blend(img, noise, 0.06)

def jpeg(img, q=70):
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=q, dpi=(300, 300))
    return buf.getvalue()

def text_pdf(lines):
    content = "BT /F1 12 Tf 14 TL 56 780 Td\n" + "".join(
        "(%s) Tj T*\n" % l.encode("latin-1", "replace").decode("latin-1").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        for l in lines) + "ET\n"
    content = content.encode("latin-1", "replace")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out = bytearray(b"%PDF-1.4\n"); offs = []
    for i, o in enumerate(objs):
        offs.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return bytes(out)

def main(out_dir):
    rng = random.Random(2026)
    os.makedirs(out_dir, exist_ok=True)
    a4 = page(rng)
    a4.save(os.path.join(out_dir, "a4-300dpi.png"), dpi=(300, 300))
    pages = [page(rng) for _ in range(20)]
    pages[0].save(os.path.join(out_dir, "scan-20-pages.pdf"), save_all=True, append_images=pages[1:],
                  resolution=300.0, quality=70)
    batch = os.path.join(out_dir, "batch"); os.makedirs(batch, exist_ok=True)
    for i in range(100):
        if i % 2 == 0:
            lines = LINES_NB[:3] + ["Prøve %d: CRP %d mg/L" % (i, rng.randint(1, 90))] + LINES_EN[:2]
            open(os.path.join(batch, "doc%03d.pdf" % i), "wb").write(text_pdf(lines))
        else:
            small = page(rng, width=1240, height=1754, size=22)
            open(os.path.join(batch, "doc%03d.jpg" % i), "wb").write(jpeg(small))
    print("fixtures in", out_dir)

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/bench-fixtures")
