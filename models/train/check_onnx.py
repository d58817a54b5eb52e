#!/usr/bin/env python3
"""Load models/doc-classifier.onnx with ONNX Runtime, print its interface, and classify text files.

    python3 models/train/check_onnx.py                      # interface + a few built-in examples
    python3 models/train/check_onnx.py doc1.txt doc2.txt    # classify text files (UTF-8, pages joined by \\f)
    tesseract scan.png - -l nor+eng | python3 models/train/check_onnx.py -   # classify stdin

Also verifies the SHA-256 recorded in models/doc-classifier.json.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)


def main(argv):
    onnx_path = os.path.join(MODELS, "doc-classifier.onnx")
    meta = json.load(open(os.path.join(MODELS, "doc-classifier.json")))
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    print(f"model   {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB)")
    print(f"sha256  {sha}  {'OK' if sha == meta['sha256'] else 'MISMATCH with doc-classifier.json!'}")
    print(f"name    {meta['name']} {meta['version']}  opset {meta['onnx_opset']}  trained {meta['trained_at']}")
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
    for i in sess.get_inputs():
        print(f"input   {i.name}: {i.type} {i.shape}")
    for o in sess.get_outputs():
        print(f"output  {o.name}: {o.type} {o.shape}")
    props = sess.get_modelmeta().custom_metadata_map
    print(f"labels  {meta['labels']}" + ("" if json.loads(props.get("labels", "null")) == meta["labels"] else "  (differs from ONNX metadata!)"))

    if argv:
        docs = [(p, sys.stdin.read() if p == "-" else open(p, encoding="utf-8", errors="replace").read()) for p in argv]
    else:
        docs = [("example: passport", "PASS / PASSPORT\nKONGERIKET NORGE\nEtternavn/Surname NORDMANN\nP<NORNORDMANN<<KARI<<<<<<<<<<<<<<<<<<<<<<<<<<<"),
                ("example: lab", "Laboratoriesvar\nHemoglobin 13.2 g/dL (13.4–17.0) L\nCRP 12 mg/L (< 5) H"),
                ("example: recipe", "Vafler\nIngredienser\n4 egg\n5 dl hvetemel\nFremgangsmåte\nStek i vaffeljern."),
                ("example: empty", "")]
    labels = meta["labels"]
    for name, text in docs:
        t0 = time.perf_counter()
        lab, prob = sess.run(["label", "probabilities"], {"text": np.array([[text]], dtype=object)})
        ms = (time.perf_counter() - t0) * 1000
        p = prob[0]
        order = np.argsort(-p)
        top = ", ".join(f"{labels[i]} {p[i]:.3f}" for i in order[:3])
        print(f"\n{name}: {len(text)} chars -> label={int(lab[0])} ({labels[int(lab[0])]}), confidence {p.max():.3f}"
              f"{'' if p.max() >= 0.70 else '  (below 0.70: show as uncertain)'}  [{ms:.2f} ms]\n  top: {top}")


if __name__ == "__main__":
    main(sys.argv[1:])
