"""A training run's model.pt (train.py) read back as a token classifier."""
import torch

from .bert import BertConfig, BertForTokenClassification


def load_model(path):
    """(model in eval mode, the checkpoint dict: config, tokenizer, step, args)."""
    ck = torch.load(path, map_location="cpu")
    assert ck.get("task", "tag") == "tag", "export needs a token-classification model"
    model = BertForTokenClassification(BertConfig(**ck["config"]))
    model.load_state_dict(ck["state_dict"])
    return model.eval(), ck
