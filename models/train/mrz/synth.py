"""Synthetic MRZ images: OCR-B lines rendered large, rotated, downscaled and degraded like scans/photos.

`make_page(seed, realistic)` -> Page(gray uint8 [H, W], lines=[(text, x_left, x_right, y_top, y_bottom)], params)
with the true ink extents of every line in final-image pixel coordinates (float), computed from the rendering.
`jitter_extents` simulates an imperfect locator.
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy.ndimage import gaussian_filter

from mrztext import mrz_lines, random_lines

FONT_PATH = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
_FONTS: dict[int, ImageFont.FreeTypeFont] = {}
DIGIT_H = 0.78  # OCR-B digit ink height / font size (capitals: ~0.72)

BUCKETS = [(7, 10), (10, 16), (16, 40)]


def font(size: int) -> ImageFont.FreeTypeFont:
    if size not in _FONTS:
        _FONTS[size] = ImageFont.truetype(FONT_PATH, size)
    return _FONTS[size]


@dataclass
class Page:
    gray: np.ndarray
    lines: list  # (text, x_left, x_right, y_top, y_bottom) true ink extents, floats
    params: dict = field(default_factory=dict)


def _background(r: random.Random, rng: np.random.Generator, H: int, W: int, h: float) -> np.ndarray:
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    base = r.uniform(150, 255)
    kind = r.choices(["uniform", "gradient", "guilloche", "colour_noise", "banding"], weights=[3, 2, 2, 1.5, 1.5])[0]
    if kind == "uniform":
        bg = np.full((H, W), base, np.float32)
    elif kind == "gradient":
        b2 = r.uniform(150, 255)
        a = r.uniform(0, 2 * math.pi)
        t = (xx * math.cos(a) + yy * math.sin(a))
        t = (t - t.min()) / max(1e-6, t.max() - t.min())
        bg = base + (b2 - base) * t
    elif kind == "guilloche":
        bg = np.full((H, W), max(base, 185), np.float32)
        for _ in range(r.randint(1, 3)):
            period = r.uniform(0.25, 1.2) * h
            amp = r.uniform(0.3, 2.0) * h
            f2 = r.uniform(0.05, 0.4) / h
            a = r.uniform(-0.6, 0.6)
            ph = r.uniform(0, 6.3)
            u = xx * math.cos(a) + yy * math.sin(a)
            v = -xx * math.sin(a) + yy * math.cos(a)
            s = np.sin(2 * math.pi * (v + amp * np.sin(2 * math.pi * f2 * u + ph)) / period)
            lines = np.abs(s) ** r.uniform(6, 30)  # thin bright ridges -> used as dark thin lines
            bg -= r.uniform(15, 70) * lines
    elif kind == "colour_noise":
        small = rng.uniform(0, 1, (max(2, H // 12), max(2, W // 12), 3)).astype(np.float32)
        rgb = np.asarray(Image.fromarray((small * 255).astype(np.uint8), "RGB").resize((W, H), Image.BICUBIC), np.float32)
        col = np.array([r.uniform(0.6, 1.0) for _ in range(3)], np.float32)
        rgb = 255 - (255 - base) - r.uniform(10, 60) * (rgb / 255.0) * col
        rgb = np.clip(rgb, 0, 255).astype(np.uint8)
        bg = np.asarray(Image.fromarray(rgb, "RGB").convert("L"), np.float32)
    else:  # horizontal banding (scanner / screen moire)
        period = r.uniform(2, 40)
        bg = base - r.uniform(5, 35) * (0.5 + 0.5 * np.sin(2 * math.pi * yy / period + r.uniform(0, 6.3)))
        bg = bg + rng.normal(0, r.uniform(0, 6), (H, 1)).astype(np.float32)
    return np.clip(bg, 120, 255)


def make_page(seed: int, realistic: bool = True, bucket: int | None = None) -> Page:
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    fmt, texts = mrz_lines(r) if realistic else random_lines(r)
    b = BUCKETS[bucket if bucket is not None else r.randrange(3)]
    h_t = r.uniform(*b)                                   # final row ink height (digits) in px
    R = min(90.0, max(42.0, 3.0 * h_t))                   # rendering row height
    size = int(round(R / DIGIT_H))
    f = font(size)
    adv = f.getlength("0")
    n = len(texts[0])
    pitch_ratio = r.uniform(1.45, 2.0)                    # baseline-to-baseline / row height
    lp = pitch_ratio * R
    mx = r.uniform(1.0, 4.0) * adv
    my = r.uniform(1.0, 2.5) * R
    W = int(n * adv + 2 * mx)
    H = int((len(texts) - 1) * lp + size * 1.2 + 2 * my)
    mask = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(mask)
    x0 = mx + r.uniform(-0.3, 0.3) * adv
    for k, t in enumerate(texts):
        d.text((x0, my + k * lp), t, font=f, fill=255)
    angle = r.uniform(-0.35, 0.35) if r.random() < 0.7 else r.uniform(-1.5, 1.5)
    cx, cy = W / 2, H / 2
    m = np.asarray(mask)
    # true per-line ink extents after rotation (line bands do not overlap before rotation)
    ext = []
    th = math.radians(angle)
    ca, sa = math.cos(th), math.sin(th)
    for k, t in enumerate(texts):
        top = int(my + k * lp)
        bot = min(H, int(my + k * lp + size * 1.2))
        ys, xs = np.nonzero(m[top:bot] > 127)
        ys = ys + top + 0.5
        xs = xs + 0.5
        xr = cx + (xs - cx) * ca + (ys - cy) * sa
        yr = cy - (xs - cx) * sa + (ys - cy) * ca
        ext.append((t, xr.min() - 0.5, xr.max() + 0.5, yr.min() - 0.5, yr.max() + 0.5))
    if angle != 0:
        mask = mask.rotate(angle, resample=Image.BICUBIC, center=(cx, cy))
    # downscale to the final size (optionally via a lower-resolution capture, upscaled again)
    s = h_t / R
    Wf, Hf = max(8, int(round(W * s))), max(8, int(round(H * s)))
    sx, sy = Wf / W, Hf / H
    lowres = r.random() < 0.25
    if lowres:
        f2 = r.uniform(0.45, 0.8)
        small = mask.resize((max(4, int(Wf * f2)), max(4, int(Hf * f2))), Image.BOX)
        mf = small.resize((Wf, Hf), r.choice([Image.BILINEAR, Image.BICUBIC]))
    else:
        mf = mask.resize((Wf, Hf), Image.BOX)
    ink_m = np.asarray(mf, np.float32) / 255.0
    lines = [(t, a * sx, b_ * sx, c * sy, d_ * sy) for t, a, b_, c, d_ in ext]
    # background, ink, contrast
    bg = _background(r, rng, Hf, Wf, h_t)
    ink = r.uniform(0, 120)
    contrast = r.uniform(0.45, 1.0) if r.random() < 0.25 else 1.0
    img = bg - (bg - ink) * ink_m * contrast
    blur = r.uniform(0, 1.5) if r.random() < 0.8 else 0.0
    if blur > 0.05:
        img = gaussian_filter(img, blur)
    if r.random() < 0.5:  # uneven illumination
        yy, xx = np.mgrid[0:Hf, 0:Wf].astype(np.float32)
        gx, gy = r.uniform(-0.3, 1.3) * Wf, r.uniform(-0.5, 1.5) * Hf
        rad = r.uniform(0.3, 1.2) * Wf
        light = np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * rad * rad))
        a = r.uniform(0.1, 0.45)
        img = img * (1 - a + a * light)
    gn = r.uniform(0, 12) if r.random() < 0.7 else 0.0
    if gn > 0:
        img = img + rng.normal(0, gn, img.shape)
    img = np.clip(img, 0, 255)
    if r.random() < 0.3:
        p = r.uniform(0.0005, 0.01)
        u = rng.random(img.shape)
        img[u < p / 2] = r.uniform(0, 60)
        img[u > 1 - p / 2] = r.uniform(200, 255)
    g8 = img.round().astype(np.uint8)
    q = None
    if r.random() < 0.7:
        q = r.randint(20, 95)
        buf = io.BytesIO()
        Image.fromarray(g8).save(buf, "JPEG", quality=q)
        g8 = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    params = dict(fmt=fmt, h=h_t, angle=angle, blur=blur, lowres=lowres, jpeg=q, ink=ink, contrast=contrast, noise=gn)
    return Page(g8, lines, params)


def jitter_extents(r: random.Random, ext, x_frac: float = 0.2, y_px: float = 1.0, x_px: float = 1.0, rounded: bool = True):
    """Imperfect locator: x ends +-(x_frac*pitch + x_px) each, y ends +-y_px each, then (optionally) rounded to
    whole pixels as a pixel-based locator would report them."""
    t, xl, xr, yt, yb = ext
    pitch = (xr - xl) / len(t)
    xl += r.uniform(-1, 1) * (x_frac * pitch) + r.uniform(-x_px, x_px)
    xr += r.uniform(-1, 1) * (x_frac * pitch) + r.uniform(-x_px, x_px)
    yt += r.uniform(-y_px, y_px)
    yb += r.uniform(-y_px, y_px)
    if rounded:
        xl, xr, yt, yb = round(xl), round(xr), round(yt), round(yb)
    if yb - yt < 3:
        yb = yt + 3
    return t, xl, xr, yt, yb
