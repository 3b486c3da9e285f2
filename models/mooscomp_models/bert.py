"""A BERT encoder with a 2-way token head, in plain PyTorch.

Parameter names follow Hugging Face `BertForTokenClassification` (and `BertForMaskedLM` for the
MLM head) so that the same module trains here, exports to ONNX, and loads converted LLMLingua-2
checkpoints without the `transformers` package. Post-LN layers, exact (erf) GELU, as BERT.
"""
import math
from dataclasses import asdict, dataclass

import torch
from torch import nn
import torch.nn.functional as F


@dataclass
class BertConfig:
    vocab_size: int
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 1024
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    initializer_range: float = 0.02
    num_labels: int = 2
    pad_token_id: int = 0
    # "alibi": a fixed per-head attention bias -slope*|i-j| on top of BERT (no parameters; see
    # alibi_slopes). "none" is plain BERT, as converted Hugging Face checkpoints need.
    position_bias: str = "none"
    # "absolute": positions 0..T-1 (BERT). "roberta": XLM-R/RoBERTa, where positions count
    # only non-pad tokens from pad_token_id + 1 and pads sit at pad_token_id (as HF does).
    position_ids: str = "absolute"

    def to_dict(self):
        return asdict(self)


class BertEmbeddings(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)
        if c.position_ids not in ("absolute", "roberta"):
            raise ValueError(f"unknown position_ids mode {c.position_ids!r}")
        self.roberta_positions = c.position_ids == "roberta"
        self.pad_token_id = c.pad_token_id

    def forward(self, input_ids):
        if self.roberta_positions:
            real = (input_ids != self.pad_token_id).to(torch.int64)
            pos = torch.cumsum(real, dim=1) * real + self.pad_token_id
        else:
            seq = input_ids.shape[1]
            pos = torch.arange(seq, device=input_ids.device).unsqueeze(0)
        # Single-segment inputs only: token type 0 is a constant row, so the exported graph
        # needs no token_type_ids input.
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings.weight[0]
        return self.dropout(self.LayerNorm(x))


class BertSelfAttention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        assert c.hidden_size % c.num_attention_heads == 0
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def _split(self, x):  # [B, T, H] -> [B, heads, T, d]
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, additive_mask):
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + additive_mask
        probs = self.dropout(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).transpose(1, 2)
        return ctx.reshape(x.shape)


class BertSelfOutput(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, h, residual):
        return self.LayerNorm(self.dropout(self.dense(h)) + residual)  # post-LN


class BertAttention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c)

    def forward(self, x, additive_mask):
        return self.output(self.self(x, additive_mask), x)


class BertIntermediate(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x):
        return F.gelu(self.dense(x))  # exact erf GELU, as BERT's "gelu"


class BertOutput(BertSelfOutput):
    def __init__(self, c: BertConfig):
        super().__init__(c)
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)


class BertLayer(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, x, additive_mask):
        a = self.attention(x, additive_mask)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x, additive_mask):
        for layer in self.layer:
            x = layer(x, additive_mask)
        return x


def alibi_slopes(heads):
    """Geometric slopes from 1/2 (a head that sees a few neighbours) to 1/64 (about a sentence
    or two either side); ALiBi's own schedule (1/16, 1/256 for two heads) is too flat here."""
    if heads == 1:
        return torch.tensor([0.125])
    return torch.tensor([2.0 ** (-1.0 - 5.0 * k / (heads - 1)) for k in range(heads)])


class BertModel(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c)
        self.alibi = c.position_bias == "alibi"
        if self.alibi:  # a buffer, not a parameter: the state dict stays Hugging Face's
            self.register_buffer("alibi_slopes", alibi_slopes(c.num_attention_heads).view(-1, 1, 1), persistent=False)
        else:
            assert c.position_bias == "none", c.position_bias

    def forward(self, input_ids, attention_mask, attention_bias=None):
        # [B, T] -> [B, 1, 1, T]; a large finite negative keeps fully padded rows NaN-free.
        additive = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0
        if self.alibi:
            # Why: with learned absolute positions only, a from-scratch encoder on 512-token
            # packed windows never learned locality in our budget (it stayed at the unigram
            # prior); a distance penalty makes attention local from the first step.
            pos = torch.arange(input_ids.shape[1], device=input_ids.device)
            dist = (pos[None, :] - pos[:, None]).abs().to(torch.float32)
            additive = additive - self.alibi_slopes * dist  # [B, heads, T, T], once per forward
        if attention_bias is not None:  # training only, e.g. [B, 1, T, T] per-sentence blocks
            additive = additive + attention_bias
        return self.encoder(self.embeddings(input_ids), additive)


def init_weights(module: nn.Module, std: float):
    """BERT's initialisation: normal(0, std) for weights, zero biases, unit LayerNorm."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, mean=0.0, std=std)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


class BertForTokenClassification(nn.Module):
    """forward(input_ids, attention_mask) -> (logits [B,T,2], last hidden [B,T,H])."""

    def __init__(self, c: BertConfig):
        super().__init__()
        self.config = c
        self.bert = BertModel(c)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)
        self.classifier = nn.Linear(c.hidden_size, c.num_labels)
        init_weights(self, c.initializer_range)

    def forward(self, input_ids, attention_mask, attention_bias=None):
        hidden = self.bert(input_ids, attention_mask, attention_bias)
        return self.classifier(self.dropout(hidden)), hidden


class BertPredictionHeadTransform(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, h):
        return self.LayerNorm(F.gelu(self.dense(h)))


class BertLMPredictionHead(nn.Module):
    """MLM head named as HF `cls.predictions`; the decoder is tied to the word embeddings."""

    def __init__(self, c: BertConfig, word_embeddings: nn.Embedding):
        super().__init__()
        self.transform = BertPredictionHeadTransform(c)
        self.decoder = nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        self.decoder.weight = word_embeddings.weight  # tied, as in BERT
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))

    def forward(self, hidden):
        return self.decoder(self.transform(hidden)) + self.bias


class BertForMaskedLM(nn.Module):
    """Encoder + MLM head for pre-training; `bert.*` weights transfer to the token classifier."""

    def __init__(self, c: BertConfig):
        super().__init__()
        self.config = c
        self.bert = BertModel(c)
        init_weights(self, c.initializer_range)
        self.cls = nn.Module()
        self.cls.predictions = BertLMPredictionHead(c, self.bert.embeddings.word_embeddings)
        init_weights(self.cls.predictions.transform, c.initializer_range)

    def forward(self, input_ids, attention_mask):
        return self.cls.predictions(self.bert(input_ids, attention_mask))
