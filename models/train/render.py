"""Render a Doc as a scanned image (PIL), degrade it, and OCR it with the tesseract CLI.

Tesseract is always started with OMP_THREAD_LIMIT=1 in its environment (Debian's libtesseract uses
OpenMP; without the limit it is several times slower on 2 cores)."""
from __future__ import annotations

import io
import math
import os
import random
import subprocess
import tempfile

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from docmodel import PAGE_MM, Doc, Page

FONT_DIRS = ["/usr/share/fonts/truetype"]
# family -> (regular, bold)
FONT_FILES = {
    "DejaVuSans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "DejaVuSansCondensed": ("dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf"),
    "DejaVuSerif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "LiberationSans": ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf"),
    "LiberationSerif": ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf"),
    "FreeSans": ("freefont/FreeSans.ttf", "freefont/FreeSansBold.ttf"),
    "FreeSerif": ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf"),
    "Carlito": ("crosextra/Carlito-Regular.ttf", "crosextra/Carlito-Bold.ttf"),
    "Caladea": ("crosextra/Caladea-Regular.ttf", "crosextra/Caladea-Bold.ttf"),
}
MONO_FILES = {"DejaVuSansMono": "dejavu/DejaVuSansMono.ttf", "LiberationMono": "liberation2/LiberationMono-Regular.ttf",
              "FreeMono": "freefont/FreeMonoBold.ttf"}
TRAIN_FONTS = ["DejaVuSans", "DejaVuSansCondensed", "DejaVuSerif", "LiberationSans", "LiberationSerif", "FreeSans", "FreeSerif"]
HELDOUT_ONLY_FONTS = ["Carlito", "Caladea"]  # never used to render training images

_font_cache: dict = {}


def _path(rel):
    for d in FONT_DIRS:
        p = os.path.join(d, rel)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(rel)


def font(rel: str, px: int):
    key = (rel, px)
    f = _font_cache.get(key)
    if f is None:
        f = ImageFont.truetype(_path(rel), max(6, px))
        _font_cache[key] = f
    return f


def available_fonts():
    ok = []
    for fam, (r, b) in FONT_FILES.items():
        try:
            _path(r), _path(b)
            ok.append(fam)
        except FileNotFoundError:
            pass
    return ok


class Renderer:
    def __init__(self, rng: random.Random, dpi: int, family: str, mono: str, base_pt: float):
        self.rng = rng
        self.dpi = dpi
        self.reg, self.bold = FONT_FILES[family]
        self.mono = MONO_FILES[mono]
        self.base_px = int(base_pt / 72 * dpi)

    def f(self, size=1.0, bold=False):
        return font(self.bold if bold else self.reg, int(self.base_px * size))

    def mm(self, v):
        return int(v / 25.4 * self.dpi)

    # ------------------------------------------------------------------ text helpers
    @staticmethod
    def tw(draw, text, fnt):
        if not text:
            return 0
        return draw.textlength(text, font=fnt)

    def wrap(self, draw, text, fnt, width):
        words = text.split()
        lines, cur = [], ""
        for w in words:
            t = (cur + " " + w).strip()
            if self.tw(draw, t, fnt) <= width or not cur:
                cur = t
            else:
                lines.append(cur)
                cur = w
        if cur:
            lines.append(cur)
        return lines

    def draw_line(self, draw, x0, x1, y, text, fnt, align="left", fill=0):
        w = self.tw(draw, text, fnt)
        if align == "center":
            x = x0 + (x1 - x0 - w) / 2
        elif align == "right":
            x = x1 - w
        else:
            x = x0
        draw.text((x, y), text, font=fnt, fill=fill)

    # ------------------------------------------------------------------ page rendering
    def render_page(self, page: Page) -> Image.Image:
        rng = self.rng
        wmm, hmm = PAGE_MM.get(page.kind, PAGE_MM["a4"])
        card = page.kind in ("card", "passport")
        W, H = self.mm(wmm), self.mm(hmm)
        if page.kind == "receipt":
            H = self.mm(300)
        bg = 255 if not card else rng.randint(225, 250)
        img = Image.new("L", (W, H), bg)
        draw = ImageDraw.Draw(img)
        if card:
            if rng.random() < 0.2:
                img = self._busy_background(W, H)
                draw = ImageDraw.Draw(img)
            self._guilloche(draw, W, H)
        margin_x = self.mm(rng.uniform(4, 7) if card else (rng.uniform(3, 6) if page.kind == "receipt" else rng.uniform(12, 26)))
        y = self.mm(rng.uniform(3, 5) if card else rng.uniform(10, 22))
        x0, x1 = margin_x, W - margin_x
        bottom = H - self.mm(3 if card else 12)
        ink = rng.randint(0, 50)
        line_gap = rng.uniform(1.15, 1.45)
        blocks = page.blocks
        photo_w = 0
        if card and any(b["t"] == "photo" for b in blocks):
            photo_w = int((x1 - x0) * rng.uniform(0.24, 0.32))
        mrz_blocks = [b for b in blocks if b["t"] == "mrz"]
        mrz_h = 0
        if card and mrz_blocks:
            n = len(mrz_blocks[0]["lines"])
            mrz_px = self._mrz_px(draw, mrz_blocks[0]["lines"][0], x1 - x0)
            mrz_h = int(n * mrz_px * 1.25) + self.mm(2)
            bottom_fields = H - mrz_h - self.mm(2)
        else:
            bottom_fields = bottom
        header_done = False
        fx0 = x0
        for b in blocks:
            t = b["t"]
            if t == "mrz":
                continue
            if y > (bottom_fields if card else bottom):
                break
            if card and t not in ("title", "line") and not header_done:
                header_done = True
                if photo_w:
                    ph_y1 = min(bottom_fields - self.mm(1), y + int(photo_w * 1.3))
                    self._photo(img, draw, x0, y, x0 + photo_w, ph_y1)
                    fx0 = x0 + photo_w + self.mm(3)
            cx0 = fx0 if (card and header_done) else x0
            if t in ("title", "line", "sig"):
                fnt = self.f(b.get("size", 1.0), b.get("bold", False) or t == "title")
                for ln in self.wrap(draw, b["text"], fnt, x1 - cx0):
                    self.draw_line(draw, cx0, x1, y, ln, fnt, b.get("align", "left"), ink)
                    y += int(fnt.size * line_gap)
                if t == "sig":
                    pass
                if t == "title":
                    y += int(fnt.size * 0.4)
            elif t == "para":
                fnt = self.f(b.get("size", 1.0))
                for ln in self.wrap(draw, b["text"], fnt, x1 - cx0):
                    if y > bottom:
                        break
                    draw.text((cx0, y), ln, font=fnt, fill=ink)
                    y += int(fnt.size * line_gap)
                y += int(fnt.size * 0.5)
            elif t == "kv":
                y = self._kv(draw, b, cx0, x1, y, bottom_fields if card else bottom, ink, line_gap)
            elif t == "table":
                y = self._table(draw, b, cx0, x1, y, bottom, ink, line_gap)
            elif t == "photo":
                if not card:
                    self._photo(img, draw, x0, y, x0 + self.mm(30), y + self.mm(40))
                    y += self.mm(42)
            elif t == "gap":
                y += int(self.base_px * line_gap * b.get("n", 1.0))
            elif t == "rule":
                draw.line([(x0, y + 4), (x1, y + 4)], fill=ink, width=max(1, self.dpi // 150))
                y += self.mm(3)
        if mrz_blocks:
            lines = mrz_blocks[0]["lines"]
            px = self._mrz_px(draw, lines[0], x1 - x0)
            fnt = font(self.mono, px)
            my = (H - mrz_h) if card else min(y + self.mm(4), bottom - int(len(lines) * px * 1.3))
            for ln in lines:
                draw.text((x0, my), ln, font=fnt, fill=ink)
                my += int(px * 1.25)
            y = max(y, my)
        if page.kind == "receipt":
            img = img.crop((0, 0, W, min(H, int(y + self.mm(8)))))
        return img

    def _mrz_px(self, draw, line, width):
        px = 40
        f = font(self.mono, px)
        w = draw.textlength(line, font=f)
        return max(8, int(px * width / max(1, w) * 0.97))

    def _busy_background(self, W, H):
        """Security-print-like background (smooth blotches + fine texture), as on real passports and ID cards,
        which makes Tesseract return fragments and junk around the fields."""
        rng = self.rng
        nrng = np.random.default_rng(rng.randrange(2**31))
        small = nrng.normal(0, 1, (max(2, H // 60), max(2, W // 60)))
        field = np.asarray(Image.fromarray(((small - small.min()) / (np.ptp(small) + 1e-9) * 255).astype(np.uint8)).resize((W, H), Image.BICUBIC),
                           dtype=np.float32) / 255.0
        base = rng.uniform(185, 230)
        amp = rng.uniform(20, 60)
        arr = base - amp * 0.5 + amp * field
        fine = nrng.normal(0, rng.uniform(3, 10), (H, W))
        yy, xx = np.mgrid[0:H, 0:W]
        waves = rng.uniform(3, 12) * np.sin(xx / rng.uniform(3, 9) + np.sin(yy / rng.uniform(20, 60)) * rng.uniform(2, 6))
        arr = (arr + fine + waves).clip(120, 255)
        return Image.fromarray(arr.astype(np.uint8), "L")

    def _guilloche(self, draw, W, H):
        rng = self.rng
        col = rng.randint(150, 225)
        for k in range(rng.randint(3, 12)):
            a, fr, ph = rng.uniform(H * 0.05, H * 0.3), rng.uniform(1, 6), rng.uniform(0, 6.28)
            y0 = rng.uniform(0, H)
            pts = [(x, y0 + a * math.sin(fr * x / W * 6.28 + ph)) for x in range(0, W, max(2, W // 200))]
            draw.line(pts, fill=col, width=1)

    def _photo(self, img, draw, x0, y0, x1, y1):
        rng = self.rng
        x0, y0, x1, y1 = int(x0), int(y0), int(x1), int(y1)
        if x1 - x0 < 4 or y1 - y0 < 4:
            return
        arr = np.random.default_rng(rng.randrange(2**31)).normal(rng.randint(90, 170), 25, (y1 - y0, x1 - x0)).clip(0, 255).astype(np.uint8)
        ph = Image.fromarray(arr, "L").filter(ImageFilter.GaussianBlur(3))
        img.paste(ph, (x0, y0))
        d = ImageDraw.Draw(img)
        cx, cy = (x0 + x1) // 2, y0 + (y1 - y0) // 2
        r = (x1 - x0) // 3
        d.ellipse([cx - r, cy - int(r * 1.3), cx + r, cy + int(r * 0.9)], fill=rng.randint(60, 140))
        d.rectangle([x0 + (x1 - x0) // 8, cy + int(r * 0.9), x1 - (x1 - x0) // 8, y1], fill=rng.randint(30, 100))

    def _kv(self, draw, b, x0, x1, y, bottom, ink, gap):
        rng = self.rng
        size = b.get("size", 1.0)
        fk = self.f(size * (0.75 if b["style"] == "stack" else 1.0), bold=rng.random() < 0.4)
        fv = self.f(size, bold=b["style"] == "stack" and rng.random() < 0.5)
        pairs = b["pairs"]
        cols = max(1, b.get("cols", 1))
        colw = (x1 - x0) / cols
        if b["style"] == "stack":
            per = math.ceil(len(pairs) / cols)
            ymax = y
            for c in range(cols):
                yy = y
                for k, v in pairs[c * per:(c + 1) * per]:
                    if yy > bottom:
                        break
                    cx = x0 + c * colw
                    if k:
                        for ln in self.wrap(draw, k, fk, colw - 4)[:2]:
                            draw.text((cx, yy), ln, font=fk, fill=ink + 40)
                            yy += int(fk.size * 1.15)
                    for ln in self.wrap(draw, str(v), fv, colw - 4)[:2]:
                        draw.text((cx, yy), ln, font=fv, fill=ink)
                        yy += int(fv.size * gap)
                    yy += int(fv.size * 0.25)
                ymax = max(ymax, yy)
            return ymax
        keyw = max((self.tw(draw, k + ":", fk) for k, _ in pairs), default=0) + self.base_px
        keyw = min(keyw, (x1 - x0) * 0.45)
        for k, v in pairs:
            if y > bottom:
                break
            if b["style"] == "tab" and k:
                draw.text((x0, y), k, font=fk, fill=ink)
                lines = self.wrap(draw, str(v), fv, x1 - x0 - keyw)
                for ln in lines[:3]:
                    draw.text((x0 + keyw, y), ln, font=fv, fill=ink)
                    y += int(fv.size * gap)
            else:
                text = f"{k}: {v}" if k and not k.endswith(".") else (f"{k} {v}" if k else str(v))
                for ln in self.wrap(draw, text, fv, x1 - x0)[:3]:
                    draw.text((x0, y), ln, font=fv, fill=ink)
                    y += int(fv.size * gap)
        return y + int(self.base_px * 0.4)

    def _table(self, draw, b, x0, x1, y, bottom, ink, gap):
        rng = self.rng
        fnt = self.f(b.get("size", 0.95))
        fh = self.f(b.get("size", 0.95), bold=True)
        rows = [[str(c) for c in r] for r in b["rows"]]
        header = b.get("header")
        ncol = max(len(r) for r in rows + ([header] if header else []))
        widths = [0.0] * ncol
        for r in rows + ([header] if header else []):
            for i, c in enumerate(r):
                widths[i] = max(widths[i], self.tw(draw, c, fnt) + self.base_px)
        tot = sum(widths) or 1
        avail = x1 - x0
        scale = min(1.0, avail / tot) if rng.random() < 0.5 else avail / tot
        xs = [x0]
        for w in widths:
            xs.append(xs[-1] + w * scale)
        grid = rng.random() < 0.35
        rh = int(fnt.size * gap)
        if header:
            for i, c in enumerate(header):
                draw.text((xs[i] + 2, y), c, font=fh, fill=ink)
            y += rh
            draw.line([(x0, y - 2), (xs[-1], y - 2)], fill=ink, width=1)
        for r in rows:
            if y > bottom:
                break
            for i, c in enumerate(r):
                cw = xs[i + 1] - xs[i] - 4
                while c and self.tw(draw, c, fnt) > cw and len(c) > 3:
                    c = c[:-1]
                draw.text((xs[i] + 2, y), c, font=fnt, fill=ink)
            y += rh
            if grid:
                draw.line([(x0, y - 2), (xs[-1], y - 2)], fill=160, width=1)
        return y + int(self.base_px * 0.5)


# ---------------------------------------------------------------------- degradation
def degrade(img: Image.Image, rng: random.Random, dpi: int, card: bool, severity: float) -> Image.Image:
    nrng = np.random.default_rng(rng.randrange(2**31))
    if card and rng.random() < 0.6:
        # card lying on a scanner bed / photographed on a table
        pad = int(img.width * rng.uniform(0.05, 0.4))
        bgc = rng.choice([255, 250, 235, rng.randint(40, 200)])
        canvas = Image.new("L", (img.width + 2 * pad, img.height + 2 * pad), bgc)
        canvas.paste(img, (rng.randint(0, 2 * pad), rng.randint(0, 2 * pad)))
        img = canvas
    angle = rng.uniform(-3, 3) * (1 if rng.random() < 0.85 else 0)
    if abs(angle) > 0.05:
        img = img.rotate(angle, resample=Image.BILINEAR, expand=True, fillcolor=rng.choice([255, 245, 230]))
    if rng.random() < 0.4 * severity:
        f = rng.uniform(0.55, 0.9)
        w, h = img.size
        img = img.resize((max(1, int(w * f)), max(1, int(h * f))), Image.BILINEAR).resize((w, h), Image.BILINEAR)
    arr = np.asarray(img).astype(np.float32)
    alpha = rng.uniform(0.65, 1.1)
    beta = rng.uniform(-10, 45)
    arr = arr * alpha + beta + (255 - 255 * alpha) * rng.uniform(0.3, 1.0)
    sigma = rng.uniform(0, 16) * severity
    if sigma > 0.5:  # sensor noise, then optical blur over it
        arr = arr + nrng.normal(0, sigma, arr.shape).astype(np.float32)
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8), "L")
    br = rng.uniform(0.2, 1.3) * severity * dpi / 300
    if br > 0.15:
        img = img.filter(ImageFilter.GaussianBlur(br))
    arr = np.asarray(img).astype(np.float32)
    sp = rng.uniform(0, 0.003) * severity
    if sp > 0:
        m = nrng.random(arr.shape)
        arr[m < sp / 2] = 0
        arr[m > 1 - sp / 2] = 255
    if rng.random() < 0.2 * severity:  # scanner shadow on one edge
        w = arr.shape[1]
        k = int(w * rng.uniform(0.01, 0.05))
        arr[:, :k] *= rng.uniform(0.2, 0.6)
    if rng.random() < 0.15 * severity:  # vertical streak
        x = rng.randrange(arr.shape[1])
        arr[:, x:x + rng.randint(1, 4)] *= rng.uniform(0.3, 0.8)
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8), "L")
    q = int(rng.uniform(12, 80) if severity > 0.3 else rng.uniform(40, 90))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=q)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out


def render_doc(doc: Doc, seed: int, heldout_fonts: bool = False):
    """Returns list of (PIL image, dpi) — one per page, already degraded."""
    rng = random.Random(seed)
    fams = [f for f in TRAIN_FONTS if f in FONT_FILES]
    if heldout_fonts and rng.random() < 0.5:
        fams = HELDOUT_ONLY_FONTS
    family = rng.choice(fams)
    mono = rng.choice(list(MONO_FILES))
    severity = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9, 1.0])
    out = []
    for page in doc.pages:
        card = page.kind in ("card", "passport")
        dpi = rng.choice([300, 300, 400]) if card else rng.choice([150, 200, 200, 250])
        base_pt = rng.uniform(8.5, 12.5) if not card else rng.uniform(6.5, 9)
        r = Renderer(rng, dpi, family, mono, base_pt)
        img = r.render_page(page)
        img = degrade(img, rng, dpi, card, severity)
        out.append((img, dpi))
    return out


def _tess_env():
    return dict(os.environ, OMP_THREAD_LIMIT="1")


def tesseract_ocr(img: Image.Image, dpi: int, lang: str = "nor+eng", timeout: int = 120) -> str:
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        img.save(f.name, dpi=(dpi, dpi), compress_level=1)
        try:
            res = subprocess.run(["tesseract", f.name, "stdout", "-l", lang, "--dpi", str(dpi)], env=_tess_env(),
                                 capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return ""
    return res.stdout.decode("utf-8", "replace").replace("\f", "").strip("\n")


def tesseract_batch(images, lang: str = "nor+eng") -> list:
    """OCR many images with ONE tesseract process (engine initialised once): tesseract reads a list file
    and separates the pages of its output with \f. Falls back to one call per image if the count is off."""
    if not images:
        return []
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i, (img, dpi) in enumerate(images):
            p = os.path.join(d, f"{i:04d}.png")
            img.save(p, dpi=(dpi, dpi), compress_level=1)
            paths.append(p)
        lst = os.path.join(d, "list.txt")
        with open(lst, "w") as f:
            f.write("\n".join(paths) + "\n")
        try:
            res = subprocess.run(["tesseract", lst, "stdout", "-l", lang], env=_tess_env(), capture_output=True,
                                 timeout=60 + 30 * len(images))
            pages = res.stdout.decode("utf-8", "replace").split("\f")
        except subprocess.TimeoutExpired:
            pages = []
    if len(pages) == len(images) + 1 and not pages[-1].strip():
        pages = pages[:-1]
    if len(pages) != len(images):
        return [tesseract_ocr(img, dpi, lang) for img, dpi in images]
    return [p.strip("\n") for p in pages]


def ocr_docs(items) -> list:
    """items: [(doc, seed, heldout_fonts)] -> OCR text per doc (pages joined with \f), one tesseract process."""
    images, owner = [], []
    for k, (doc, seed, ho) in enumerate(items):
        for img, dpi in render_doc(doc, seed, ho):
            images.append((img, dpi))
            owner.append(k)
    pages = tesseract_batch(images)
    out = [[] for _ in items]
    for k, t in zip(owner, pages):
        out[k].append(t)
    return ["\f".join(p) for p in out]


def ocr_doc(doc: Doc, seed: int, heldout_fonts: bool = False) -> str:
    return ocr_docs([(doc, seed, heldout_fonts)])[0]
