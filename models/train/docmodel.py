"""A tiny document model shared by the generator (generate.py) and the renderer (render.py).

A Doc is a list of pages; a page is a list of blocks. Blocks are plain dicts so that
they are easy to build and to render:

  {"t": "title", "text": str, "size": float, "align": "left|center|right", "bold": bool}
  {"t": "line",  "text": str, "size": float, "align": ..., "bold": bool}
  {"t": "para",  "text": str, "size": float}
  {"t": "kv",    "pairs": [(key, value)], "style": "colon|tab|stack", "cols": int}
  {"t": "table", "header": [..] | None, "rows": [[..]], "size": float}
  {"t": "mrz",   "lines": [str]}
  {"t": "photo"} {"t": "gap", "n": float} {"t": "rule"} {"t": "sig", "text": str}

Page kinds: "a4" (210x297 mm), "card" (ID-1 85.6x54 mm), "passport" (TD3 125x88 mm),
"receipt" (80 mm wide till receipt), "half" (A5 landscape-ish letter).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

PAGE_MM = {"a4": (210, 297), "card": (85.6, 54), "passport": (125, 88), "receipt": (80, 180),
           "a5": (148, 210)}


@dataclass
class Page:
    kind: str = "a4"
    blocks: list = field(default_factory=list)


@dataclass
class Doc:
    label: str
    template: str
    lang: str
    pages: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)


class B:
    """Builder: B(label, template, lang).title(...).kv(...) ... .doc"""

    def __init__(self, label: str, template: str, lang: str, kind: str = "a4"):
        self.doc = Doc(label, template, lang, [Page(kind)])

    @property
    def page(self) -> Page:
        return self.doc.pages[-1]

    def add(self, **b):
        self.page.blocks.append(b)
        return self

    def title(self, text, size=1.7, align="left", bold=True):
        return self.add(t="title", text=text, size=size, align=align, bold=bold)

    def line(self, text, size=1.0, align="left", bold=False):
        return self.add(t="line", text=text, size=size, align=align, bold=bold)

    def lines(self, texts, size=1.0, align="left", bold=False):
        for t in texts:
            self.line(t, size, align, bold)
        return self

    def para(self, text, size=1.0):
        return self.add(t="para", text=text, size=size)

    def kv(self, pairs, style="colon", cols=1, size=1.0):
        return self.add(t="kv", pairs=[(k, v) for k, v in pairs if v is not None], style=style, cols=cols, size=size)

    def table(self, header, rows, size=0.95):
        return self.add(t="table", header=header, rows=rows, size=size)

    def mrz(self, lines):
        return self.add(t="mrz", lines=lines)

    def photo(self):
        return self.add(t="photo")

    def gap(self, n=1.0):
        return self.add(t="gap", n=n)

    def rule(self):
        return self.add(t="rule")

    def sig(self, text):
        return self.add(t="sig", text=text)

    def newpage(self, kind=None):
        self.doc.pages.append(Page(kind or self.page.kind))
        return self


def page_text(page: Page, rng: random.Random) -> str:
    """Text as a PDF text layer (or a perfect OCR) would give it, with some layout jitter."""
    out = []
    sep_kv = rng.choice([": ", ": ", " ", "  ", "\t", ":  "])
    for b in page.blocks:
        t = b["t"]
        if t in ("title", "line", "sig"):
            out.append(b["text"])
        elif t == "para":
            out.append(b["text"])
        elif t == "kv":
            style = b["style"]
            for k, v in b["pairs"]:
                if style == "stack" or (style == "colon" and rng.random() < 0.05):
                    out.append(k)
                    out.append(str(v))
                elif style == "tab":
                    out.append(f"{k}\t{v}")
                else:
                    kk = k.rstrip(":")
                    out.append(f"{kk}{sep_kv}{v}" if k else str(v))
        elif t == "table":
            sep = rng.choice(["  ", " ", "\t", "   "])
            if b["header"]:
                out.append(sep.join(b["header"]))
            for r in b["rows"]:
                out.append(sep.join(str(c) for c in r if c != ""))
        elif t == "mrz":
            out.extend(b["lines"])
        elif t == "gap":
            out.append("")
    return "\n".join(out)


def doc_text(doc: Doc, rng: random.Random) -> str:
    return "\f".join(page_text(p, rng) for p in doc.pages)
