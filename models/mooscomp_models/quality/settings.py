"""Quality settings: "OUTLIER:ALPHA[+KEY=VALUE...]" parsed, labelled and turned into compress()
options; the rates every table reports and the baselines' seeds."""
import json
import re

RATES = {"2x": 1 / 2, "3x": 1 / 3, "5x": 1 / 5}
SEEDS = range(5)  # the random baselines are averaged over these seeds


def parse_settings(spec):
    """"OUTLIER:ALPHA[+KEY=VALUE...],..." -> (outlier, alpha) or (outlier, alpha, {KEY: VALUE}):
    extra compress() options of a setting, e.g. "word-rarity:0.7+keepMeaning=false" (VALUE is
    read as JSON, else kept as a string: "+code=lines")."""
    out = []
    for part in spec.split(","):
        base, *extras = part.strip().split("+")
        kind, _, alpha = base.partition(":")
        opts = {}
        for e in extras:
            k, _, v = e.partition("=")
            try:
                opts[k.strip()] = json.loads(v) if v else True
            except ValueError:
                opts[k.strip()] = v.strip()
        out.append((kind, float(alpha) if alpha else 1.0, opts) if opts else (kind, float(alpha) if alpha else 1.0))
    return out


def with_extra(setting, extra):
    """The setting with `extra` options under its own ones."""
    opts = {**extra, **(setting[2] if len(setting) > 2 else {})}
    return (setting[0], setting[1], opts) if opts else setting[:2]


def label(setting):
    extras = setting[2] if len(setting) > 2 else {}
    return f"{setting[0]}:{setting[1]:g}" + "".join(
        f"+{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in extras.items())


def option(setting, rate=None, snake=False):
    """compress() options of a setting; snake: compress_prompt's names for its extra options."""
    extra = setting[2] if len(setting) > 2 else {}
    if snake:
        extra = {re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), k): v for k, v in extra.items()}
    o = {"outlier": setting[0], "alpha": setting[1], **extra}
    return o if rate is None else {"rate": rate, **o}
