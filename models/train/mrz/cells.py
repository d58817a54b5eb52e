"""Reference implementation of the MRZ cell contract (cell_contract 1). The Rust side implements exactly this.

Input: 8-bit grayscale page, one MRZ line as (x_left, x_right, y_top, y_bottom, n):
  x_left  = left edge of the first glyph's ink, x_right = right edge (exclusive) of the last glyph's ink,
  y_top / y_bottom = top / bottom (exclusive) of the row's glyph ink, n in {30, 36, 44}.
  pitch = (x_right - x_left) / n, h = y_bottom - y_top
  cell i: x in [x_left + i*pitch, x_left + (i+1)*pitch), y in [y_top - 0.15h, y_bottom + 0.15h)  (floats;
          outside the image = white 255)
  resample to 16 x 24 (cols x rows) by exact area averaging: output pixel = mean of the source area it covers,
          source pixels weighted by their fractional overlap (pixel (c, r) is the unit square [c, c+1) x [r, r+1))
  ink = 1 - gray/255; lo, hi = min, max over the cell; hi - lo < 0.08 -> all 0, else (ink - lo) / (hi - lo)
  flatten row-major (24 rows of 16) -> 384 float32
"""
from __future__ import annotations

import numpy as np

CELL_W, CELL_H = 16, 24
V_MARGIN = 0.15
FLAT_EPS = 0.08


def area_weights(edges: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """Overlap weights of output intervals [edges[j], edges[j+1]) with source pixels [c, c+1), normalised by the
    interval length. Only pixels inside [0, size) get a weight (the rest is white). Returns (W, first_pixel)."""
    c0 = max(0, int(np.floor(edges.min())))
    c1 = min(size, int(np.ceil(edges.max())))
    if c1 <= c0:
        return np.zeros((len(edges) - 1, 0)), c0
    c = np.arange(c0, c1, dtype=np.float64)
    lo = np.maximum(edges[:-1, None], c[None, :])
    hi = np.minimum(edges[1:, None], c[None, :] + 1.0)
    w = np.clip(hi - lo, 0.0, None) / (edges[1:] - edges[:-1])[:, None]
    return w, c0


def cut_line(gray: np.ndarray, x_left: float, x_right: float, y_top: float, y_bottom: float, n: int) -> np.ndarray:
    """Cells of one MRZ line -> float32 [n, 384] (contract 1)."""
    H, W = gray.shape
    pitch = (x_right - x_left) / n
    h = y_bottom - y_top
    y0, y1 = y_top - V_MARGIN * h, y_bottom + V_MARGIN * h
    wy, r0 = area_weights(y0 + (y1 - y0) * np.arange(CELL_H + 1) / CELL_H, H)                      # [24, rows]
    xe = x_left + pitch * (np.arange(n)[:, None] + np.arange(CELL_W + 1)[None, :] / CELL_W)     # [n, 17]
    c0 = max(0, int(np.floor(xe.min())))
    c1 = min(W, int(np.ceil(xe.max())))
    wx = np.zeros((n, CELL_W, max(0, c1 - c0)))
    for i in range(n):
        w, s = area_weights(xe[i], W)
        if w.shape[1]:
            wx[i, :, s - c0:s - c0 + w.shape[1]] = w
    strip = gray[r0:r0 + wy.shape[1], c0:c1].astype(np.float64)
    dark = 255.0 - strip                                                  # 0 = white; outside the image stays 0
    a = wy @ dark                                                         # [24, cols]
    out = np.einsum("rc,ijc->irj", a, wx)                                 # [n, 24, 16] mean "darkness"
    ink = out / 255.0
    lo = ink.min(axis=(1, 2), keepdims=True)
    hi = ink.max(axis=(1, 2), keepdims=True)
    rng = hi - lo
    norm = np.where(rng < FLAT_EPS, 0.0, (ink - lo) / np.maximum(rng, 1e-12))
    return norm.reshape(n, CELL_W * CELL_H).astype(np.float32)


def cut_line_pil(gray: np.ndarray, x_left, x_right, y_top, y_bottom, n) -> np.ndarray:
    """Same cells via PIL Image.BOX on a white-padded image (for comparison only: PIL's BOX weights whole source
    pixels by whether their centre falls in the box, so it differs from exact area averaging when box edges are
    fractional or the cell is upsampled)."""
    from PIL import Image
    pad = int(2 * (y_bottom - y_top) + 2 * (x_right - x_left) / n) + 4
    img = Image.fromarray(np.pad(gray, pad, constant_values=255))
    pitch = (x_right - x_left) / n
    h = y_bottom - y_top
    res = []
    for i in range(n):
        box = (pad + x_left + i * pitch, pad + y_top - V_MARGIN * h, pad + x_left + (i + 1) * pitch, pad + y_bottom + V_MARGIN * h)
        a = np.asarray(img.resize((CELL_W, CELL_H), Image.BOX, box=box), dtype=np.float64)
        ink = 1 - a / 255
        lo, hi = ink.min(), ink.max()
        res.append(np.zeros_like(ink) if hi - lo < FLAT_EPS else (ink - lo) / (hi - lo))
    return np.array(res, dtype=np.float32).reshape(n, -1)
