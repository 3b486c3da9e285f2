"""A run's model and optimiser, built from the options and initialised from --init-onnx or
--init-from."""
import torch

from ..bert import BertConfig, BertForMaskedLM, BertForTokenClassification
from ..onnx_weights import state_dict_from_onnx
from ..vocab_transplant import transplant_embeddings


def batch_plan(args, n_windows):
    """(windows per step, steps per epoch, total steps)."""
    per_batch = min(n_windows, max(1, args.batch_tokens // args.max_len))  # more would never fill a step
    steps_per_epoch = max(1, n_windows // per_batch)
    total = args.steps or max(1, int(args.epochs * steps_per_epoch))
    return per_batch, steps_per_epoch, total


def model_config(args, vocab_size):
    return BertConfig(vocab_size=vocab_size, hidden_size=args.hidden, num_hidden_layers=args.layers,
                      num_attention_heads=args.heads, intermediate_size=args.intermediate,
                      max_position_embeddings=max(512, args.max_len), hidden_dropout_prob=args.dropout,
                      attention_probs_dropout_prob=args.dropout, position_bias=args.position_bias)


def build_model(args, cfg, init, log):
    """The task's model from the seed, then every tensor from --init-onnx, or the encoder from
    the --init-from checkpoint `init`."""
    torch.manual_seed(args.seed)
    model = (BertForTokenClassification if args.task == "tag" else BertForMaskedLM)(cfg)
    if args.init_onnx:
        sd = state_dict_from_onnx(args.init_onnx)
        if args.transplant_from:  # the same encoder under --tokenizer's vocabulary
            key = "bert.embeddings.word_embeddings.weight"
            sd[key], counts = transplant_embeddings(sd[key], args.transplant_from, args.tokenizer, args.seed)
            log(f"word embeddings transplanted from {args.transplant_from}: {counts}")
        if args.task == "tag":
            model.load_state_dict(sd)
        else:  # MLM: the encoder; the head starts fresh (its decoder is tied to the embeddings)
            missing, unexpected = model.load_state_dict({k: v for k, v in sd.items() if k.startswith("bert.")},
                                                        strict=False)
            assert not unexpected and all(k.startswith("cls.") for k in missing), (missing, unexpected)
        log(f"initialised {'every tensor' if args.task == 'tag' else 'the encoder'} from {args.init_onnx}")
    if init:
        src = init["state_dict"]
        bert = {k: v for k, v in src.items() if k.startswith("bert.")}
        missing, unexpected = model.load_state_dict(bert, strict=False)
        assert not unexpected and all(not k.startswith("bert.") for k in missing), (missing, unexpected)
        log(f"initialised {len(bert)} encoder tensors from {args.init_from}")
    return model


def make_optimizer(model, args, dev):
    """AdamW, no weight decay on biases and LayerNorm weights."""
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.98), eps=1e-6,
                             **({"fused": True} if dev.type == "cuda" else {}))
