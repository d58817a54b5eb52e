"""ONNX export and loading shared by the training scripts (the document classifier, train.py, and
the MRZ glyph recogniser, mrz/train_mrz.py): the model's identity and properties set the same
way, the file checked and written, and an ONNX Runtime session configured as Varde runs it."""
from __future__ import annotations

import hashlib


def finish_and_save(onx, path, name, version, doc, props):
    """Names the model, stores `props` as metadata, checks and writes it; (sha256, size)."""
    import onnx
    onx.producer_name = name
    onx.producer_version = version
    onx.model_version = int(version.replace(".", ""))
    onx.doc_string = doc
    onnx.helper.set_model_props(onx, props)
    onnx.checker.check_model(onx)
    data = onx.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest(), len(data)


def ort_session(path):
    """One thread, CPU only: the way the worker process runs the model."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
