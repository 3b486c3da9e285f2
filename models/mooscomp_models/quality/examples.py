"""Short prompts compressed at 3x under each setting, for a person to read."""
import os

from .. import data as D
from .compressor import compress_all
from .settings import RATES, label, option

EXAMPLES = {
    "chat": ("I need to write an email to my landlord, Mr. Patel, about the broken heater in apartment 4B. "
             "It stopped working on January 12 and the temperature inside has been around 14 degrees since then. "
             "I already called twice, on the 13th and the 16th, but nobody came. Please make the email polite "
             "but firm, ask for a repair within 3 days, and mention that I can be reached at 555-0142 after 6 pm."),
}


def reader_examples(args, settings, qmsum):
    gsm = D.read_jsonl(os.path.join(args.data, "eval", "gsm8k", "test.jsonl"), 1)[0]
    meeting = "\n".join(qmsum[0]["text"].splitlines()[:12])
    items = [{"name": "meeting", "text": meeting}, {"name": "gsm8k", "text": gsm["question"]},
             {"name": "chat", "text": EXAMPLES["chat"]}]
    res = compress_all(args.model, items, [option(s, RATES["3x"]) for s in settings], prompt=True)
    return [{"name": it["name"], "text": it["text"], **{label(s): r["prompt"] for s, r in zip(settings, per)}}
            for it, per in zip(items, res)]
