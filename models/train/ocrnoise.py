"""Simulated OCR noise for clean text: character confusions, dropped/merged/split words,
junk tokens, lost lines and column interleaving — the kind of errors Tesseract makes on
poor scans. Used for the bulk of the training data (real Tesseract output is used too)."""
from __future__ import annotations

import random

CONF = {
    "m": ["rn", "nn", "in"], "n": ["ri", "h", "u"], "l": ["1", "I", "|", "i"], "1": ["l", "I", "]"], "I": ["l", "1", "|"],
    "O": ["0", "Q", "D"], "0": ["O", "o", "D"], "o": ["0", "a", "c", "ø"], "e": ["c", "o", "é"], "c": ["e", "o", "("],
    "a": ["o", "e", "å", "d"], "ø": ["o", "0", "@", "é", "6"], "Ø": ["O", "0", "@"], "å": ["a", "â", "à", "ä"], "Å": ["A", "Ä"],
    "æ": ["ae", "œ", "a"], "Æ": ["AE", "A"], "S": ["5", "$", "s"], "5": ["S", "6"], "B": ["8", "R", "3"], "8": ["B", "3", "6"],
    "i": ["í", "l", "1", "j"], "t": ["f", "l", "1"], "f": ["t", "ſ"], "h": ["b", "li", "n"], "u": ["v", "ii", "n"], "v": ["u", "y"],
    "g": ["q", "9", "y"], "y": ["v", "g"], "r": ["n", "t", "f"], "k": ["K", "lc", "x"], "d": ["cl", "a"], "w": ["vv", "W"],
    "E": ["F", "B"], "F": ["E", "P"], "P": ["F", "R"], "D": ["O", "0"], "G": ["6", "C"], "2": ["Z", "z"], "Z": ["2"],
    "<": ["K", "k", "c", "C", "«", "£", "€", "L", "(", "<<", ""], ".": [",", "", ":"], ",": [".", ""], ":": [";", ".", ""],
    "-": ["—", "_", "~", ""], "/": ["l", "|", "I"], "%": ["9", "96", "%o"], "µ": ["u", "p", "pu"], "°": ["o", "*", ""],
}
JUNK = ["|", "—", "_", "'", "~", "»", "«", "‘", "=", "*", "©", "®", "i", "l", "..", "-", "\\", "/", "]", "[", "{", "}", "¢", "§"]


def _char_noise(word: str, rng: random.Random, p: float) -> str:
    out = []
    i = 0
    while i < len(word):
        c = word[i]
        r = rng.random()
        if r < p:
            op = rng.random()
            if op < 0.65 and c in CONF:
                out.append(rng.choice(CONF[c]))
            elif op < 0.8:
                pass  # dropped char
            elif op < 0.9:
                out.append(c + c)
            else:
                out.append(c.swapcase())
        else:
            out.append(c)
        i += 1
    return "".join(out)


def noisify(text: str, rng: random.Random, level: float | None = None) -> str:
    """level in [0, 1]: 0 = untouched, ~0.3 typical scan, 1 = terrible fax."""
    if level is None:
        level = rng.choice([0.05, 0.15, 0.25, 0.35, 0.5, 0.7, 0.9])
    if level <= 0:
        return text
    p_char = 0.004 + 0.09 * level ** 1.5
    p_drop_word = 0.01 + 0.12 * level
    p_merge = 0.01 + 0.08 * level
    p_split = 0.005 + 0.05 * level
    p_junk = 0.005 + 0.08 * level
    p_line = 0.01 + 0.2 * level ** 2
    pages = text.split("\f")
    outp = []
    for page in pages:
        lines = page.split("\n")
        out_lines = []
        for line in lines:
            if rng.random() < p_line:
                continue
            words = line.split()
            nw = []
            for w in words:
                r = rng.random()
                if r < p_drop_word:
                    continue
                w = _char_noise(w, rng, p_char)
                if rng.random() < p_split and len(w) > 4:
                    k = rng.randint(1, len(w) - 1)
                    w = w[:k] + " " + w[k:]
                if rng.random() < p_junk:
                    nw.append(rng.choice(JUNK))
                if nw and rng.random() < p_merge:
                    nw[-1] = nw[-1] + w
                else:
                    nw.append(w)
            if rng.random() < 0.05 * level:
                nw = [w.upper() for w in nw]
            sep = " " if rng.random() > 0.1 * level else "  "
            out_lines.append(sep.join(nw))
        # column interleaving / reading-order errors
        if len(out_lines) > 6 and rng.random() < 0.3 * level:
            k = rng.randint(2, len(out_lines) - 2)
            left, right = out_lines[:k], out_lines[k:]
            mixed = []
            while left or right:
                if left and (not right or rng.random() < 0.5):
                    mixed.append(left.pop(0))
                if right and (not left or rng.random() < 0.5):
                    mixed.append(right.pop(0))
            out_lines = mixed
        if rng.random() < 0.3:
            out_lines = [ln for ln in out_lines if ln.strip()]  # tesseract collapses blank lines differently
        outp.append("\n".join(out_lines))
    return "\f".join(outp)


def text_layer_jitter(text: str, rng: random.Random) -> str:
    """PDF-text-layer quirks: odd spacing, hyphen/space loss, lines split or joined, page breaks as blank lines."""
    if rng.random() < 0.3:
        text = text.replace("\t", " ")
    if rng.random() < 0.2:
        text = text.replace("\n", " ")
    if rng.random() < 0.2:
        text = text.replace("\f", "\n\n")
    if rng.random() < 0.15:
        text = "  ".join(text.split(" "))
    return text
