"""Reading Hugging Face token-classifier checkpoints (LLMLingua-2) without `transformers`.

A checkpoint folder holds config.json, weights (model.safetensors or pytorch_model.bin,
possibly sharded with an *.index.json) and tokenizer files. This module maps it onto the
project's BertForTokenClassification: BERT as is, XLM-R with the `roberta.` prefix renamed and
the "roberta" position-id mode. Every user error raises CheckpointError with a clear message.
"""
import json
import mmap
import os
import struct
import sys
from dataclasses import dataclass

import torch

from .bert import BertConfig, BertForTokenClassification


class CheckpointError(Exception):
    """A problem with the user's checkpoint folder (not a bug): report it, exit 2."""


@dataclass
class Family:
    prefix: str          # state-dict prefix of the encoder
    position_ids: str    # BertConfig.position_ids mode
    tokenizer: str       # manifest tokenizer kind


FAMILIES = {
    "bert": Family("bert.", "absolute", "wordpiece"),
    "xlm-roberta": Family("roberta.", "roberta", "sentencepiece"),
}

# Buffers and heads that HF checkpoints may carry but the token classifier never uses.
IGNORED_SUFFIXES = ("embeddings.position_ids", "embeddings.token_type_ids")
IGNORED_PARTS = (".pooler.",)


def _read_json(path, what):
    if not os.path.isfile(path):
        raise CheckpointError(f"missing {what}: {path}")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (ValueError, UnicodeDecodeError) as err:
        raise CheckpointError(f"{path} is not valid JSON: {err}") from None


def read_config(folder):
    """config.json -> (raw dict, Family, BertConfig)."""
    cfg = _read_json(os.path.join(folder, "config.json"), "config.json")
    kind = cfg.get("model_type")
    if kind not in FAMILIES:
        raise CheckpointError(f"unsupported model_type {kind!r} in config.json "
                              f"(supported: {', '.join(sorted(FAMILIES))})")
    fam = FAMILIES[kind]
    arch = cfg.get("architectures") or []
    if arch and not any(a.endswith("ForTokenClassification") for a in arch):
        raise CheckpointError(f"config.json architectures {arch} is not a token classifier "
                              "(expected *ForTokenClassification)")
    # Exact GELU and absolute positions are what bert.py computes; anything else would
    # convert silently into a different model.
    act = cfg.get("hidden_act", "gelu")
    if act != "gelu":
        raise CheckpointError(f"hidden_act {act!r} is not supported (only exact 'gelu')")
    pos = cfg.get("position_embedding_type", "absolute")
    if pos != "absolute":
        raise CheckpointError(f"position_embedding_type {pos!r} is not supported (only 'absolute')")
    labels = num_labels(cfg)
    if labels != 2:
        raise CheckpointError(f"the classifier has {labels} labels; mooscomp needs 2 (preserve/discard)")
    try:
        bc = BertConfig(
            vocab_size=int(cfg["vocab_size"]),
            hidden_size=int(cfg["hidden_size"]),
            num_hidden_layers=int(cfg["num_hidden_layers"]),
            num_attention_heads=int(cfg["num_attention_heads"]),
            intermediate_size=int(cfg["intermediate_size"]),
            max_position_embeddings=int(cfg["max_position_embeddings"]),
            type_vocab_size=int(cfg.get("type_vocab_size", 2)),
            layer_norm_eps=float(cfg.get("layer_norm_eps", 1e-12)),
            num_labels=2,
            pad_token_id=int(cfg.get("pad_token_id", 1 if kind == "xlm-roberta" else 0)),
            position_ids=fam.position_ids,
        )
    except KeyError as err:
        raise CheckpointError(f"config.json has no {err.args[0]!r}") from None
    except (TypeError, ValueError) as err:
        raise CheckpointError(f"config.json has a bad value: {err}") from None
    if bc.hidden_size % bc.num_attention_heads:
        raise CheckpointError("hidden_size is not a multiple of num_attention_heads")
    return cfg, fam, bc


def num_labels(cfg):
    if isinstance(cfg.get("id2label"), dict):
        return len(cfg["id2label"])
    return int(cfg.get("num_labels", 2))


def preserve_label(cfg):
    """(label index, None) if id2label names it, else (1, warning text)."""
    names = {int(k): str(v).lower() for k, v in (cfg.get("id2label") or {}).items()}
    for i, n in names.items():
        if "preserve" in n or "keep" in n:
            return i, None
    for i, n in names.items():
        if "discard" in n or "drop" in n or "remove" in n:
            return 1 - i, None
    return 1, (f"id2label {cfg.get('id2label')} names no preserve/keep label; "
               "assuming label 1 = preserve, as LLMLingua-2 does")


# ---- weights ---------------------------------------------------------------------------

_ST_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
    "U8": torch.uint8, "BOOL": torch.bool,
}


def read_safetensors(path):
    """name -> tensor. Format: u64 little-endian header length, a JSON header
    {name: {dtype, shape, data_offsets: [begin, end]}} (+ optional __metadata__), raw
    little-endian data; offsets count from the end of the header."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) < 8:
            raise CheckpointError(f"{path}: truncated safetensors file")
        (n,) = struct.unpack("<Q", raw)
        if n > size - 8 or n > 100 << 20:
            raise CheckpointError(f"{path}: bad safetensors header length {n}")
        try:
            header = json.loads(f.read(n).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as err:
            raise CheckpointError(f"{path}: bad safetensors header: {err}") from None
        # Copy-on-write map: tensors view the file without reading it twice into memory.
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY) if size > 8 + n else b""
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype = _ST_DTYPES[info["dtype"]]
            shape = [int(d) for d in info["shape"]]
            begin, end = (int(x) for x in info["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise CheckpointError(f"{path}: tensor {name!r} has an unsupported or bad entry {info}") from None
        count = 1
        for d in shape:
            count *= d
        nbytes = count * torch.empty((), dtype=dtype).element_size()
        if end - begin != nbytes or begin < 0 or base + end > size:
            raise CheckpointError(f"{path}: tensor {name!r} data_offsets do not match its shape")
        if count == 0:
            out[name] = torch.empty(shape, dtype=dtype)
            continue
        t = torch.frombuffer(data, dtype=dtype, count=count, offset=base + begin).reshape(shape)
        if sys.byteorder != "little" and t.element_size() > 1:
            t = torch.from_numpy(t.numpy().byteswap())  # stored little-endian
        out[name] = t
    return out


def _torch_load(path):
    try:
        return torch.load(path, map_location="cpu", weights_only=True)  # no arbitrary unpickling
    except TypeError:  # a torch without weights_only
        return torch.load(path, map_location="cpu")
    except Exception as err:  # noqa: BLE001 - any unpickling failure is a bad file
        raise CheckpointError(f"{path}: cannot read it as a PyTorch state dict: {err}") from None


def _load_file(path):
    if path.endswith(".safetensors"):
        return read_safetensors(path)
    sd = _torch_load(path)
    if not isinstance(sd, dict):
        raise CheckpointError(f"{path} does not hold a state dict")
    return sd


def read_weights(folder):
    """The folder's state dict (HF names), from safetensors or a torch pickle, sharded or not."""
    for single, index in (("model.safetensors", "model.safetensors.index.json"),
                          ("pytorch_model.bin", "pytorch_model.bin.index.json")):
        p = os.path.join(folder, single)
        if os.path.isfile(p):
            return _load_file(p), single
        p = os.path.join(folder, index)
        if os.path.isfile(p):
            shards = sorted(set((_read_json(p, index).get("weight_map") or {}).values()))
            if not shards:
                raise CheckpointError(f"{p} has no weight_map")
            sd = {}
            for s in shards:
                sp = os.path.join(folder, s)
                if not os.path.isfile(sp):
                    raise CheckpointError(f"missing weight shard {sp} (named in {index})")
                sd.update(_load_file(sp))
            return sd, index
    raise CheckpointError(f"no weights in {folder}: expected model.safetensors or pytorch_model.bin")


def to_project_state_dict(hf_sd, fam, bc):
    """HF names -> bert.py names, float32, checked against the module's own shapes."""
    sd = {}
    for k, v in hf_sd.items():
        if k.endswith(".gamma"):  # old TF-converted BERT checkpoints
            k = k[:-6] + ".weight"
        elif k.endswith(".beta"):
            k = k[:-5] + ".bias"
        if k.startswith(fam.prefix):
            k = "bert." + k[len(fam.prefix):]
        elif not k.startswith("classifier."):
            k = "bert." + k if k.startswith(("embeddings.", "encoder.")) else k
        sd[k] = v
    model = BertForTokenClassification(bc)
    want = model.state_dict()
    unexpected = sorted(k for k in sd if k not in want and not k.endswith(IGNORED_SUFFIXES)
                        and not any(p in "." + k for p in IGNORED_PARTS))
    missing = sorted(k for k in want if k not in sd)
    if missing or unexpected:
        raise CheckpointError("weights do not match the config: "
                              + (f"missing {_names(missing)}" if missing else "")
                              + ("; " if missing and unexpected else "")
                              + (f"unexpected {_names(unexpected)}" if unexpected else ""))
    out = {}
    for k, w in want.items():
        t = sd[k]
        if not torch.is_tensor(t):
            raise CheckpointError(f"weight {k} is not a tensor")
        if tuple(t.shape) != tuple(w.shape):
            raise CheckpointError(f"shape mismatch for {k}: checkpoint {tuple(t.shape)}, "
                                  f"config expects {tuple(w.shape)}")
        if not t.is_floating_point():
            raise CheckpointError(f"weight {k} has dtype {t.dtype}, expected floating point")
        out[k] = t.to(torch.float32)
    model.load_state_dict(out)
    return model.eval()


def _names(keys, n=6):
    return ", ".join(keys[:n]) + (f" (+{len(keys) - n} more)" if len(keys) > n else "")


def load_model(folder):
    """(model, raw config, Family, BertConfig, weights file name) for a checkpoint folder."""
    if not os.path.isdir(folder):
        raise CheckpointError(f"not a folder: {folder}")
    cfg, fam, bc = read_config(folder)
    hf_sd, source = read_weights(folder)
    return to_project_state_dict(hf_sd, fam, bc), cfg, fam, bc, source


# ---- tokenizer -------------------------------------------------------------------------

def wordpiece_vocab(folder):
    """vocab.txt lines (id order), from vocab.txt or a WordPiece tokenizer.json."""
    p = os.path.join(folder, "vocab.txt")
    if os.path.isfile(p):
        with open(p, encoding="utf-8") as f:
            lines = f.read().split("\n")  # not splitlines(): tokens may hold U+2028 and kin
        return lines[:-1] if lines and lines[-1] == "" else lines
    p = os.path.join(folder, "tokenizer.json")
    if os.path.isfile(p):
        model = _read_json(p, "tokenizer.json").get("model") or {}
        vocab = model.get("vocab")
        if model.get("type") == "WordPiece" and isinstance(vocab, dict):
            lines = [None] * len(vocab)
            for tok, i in vocab.items():
                if not 0 <= i < len(lines):
                    raise CheckpointError(f"{p}: vocabulary ids are not 0..{len(lines) - 1}")
                lines[i] = tok
            if None in lines or any("\n" in t for t in lines):
                raise CheckpointError(f"{p}: vocabulary ids are not 0..{len(lines) - 1}")
            return lines
    raise CheckpointError(f"missing vocab.txt (or a WordPiece tokenizer.json) in {folder}")


def wordpiece_options(folder):
    """(lowercase, strip_accents or None) from tokenizer_config.json; HF's defaults otherwise."""
    p = os.path.join(folder, "tokenizer_config.json")
    tc = _read_json(p, "tokenizer_config.json") if os.path.isfile(p) else {}
    lower = tc.get("do_lower_case", True)
    strip = tc.get("strip_accents")
    if not isinstance(lower, bool) or not (strip is None or isinstance(strip, bool)):
        raise CheckpointError(f"{p}: do_lower_case/strip_accents must be booleans")
    return lower, strip
