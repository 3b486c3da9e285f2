"""Retention of critical tokens at every rate and setting, the achieved ratio, and integrity
(numbers altered, empty outputs)."""
import sys

from .compressor import compress_all
from .counting import METRICS, altered_numbers, kept_mask
from .settings import RATES, label, option


def retention(args, settings, sets):
    """sets: name -> (items, metrics). Retention per setting and rate, the achieved ratio, integrity."""
    configs = [option(s, r) for r in RATES.values() for s in settings]
    index = [(rn, label(s)) for rn in RATES for s in settings]
    integrity = {label(s): {"numbers_altered": 0, "empty_outputs": 0} for s in settings}
    table, totals, outputs, tokens, failures = {}, {}, {}, {}, []
    for name, (items, metrics) in sets.items():
        print(f"{name}:", file=sys.stderr)
        res = compress_all(args.model, items, configs, scores=(name == "sat"), prompt=True)
        outputs[name] = res
        for ci, (rn, lab) in enumerate(index):
            t = tokens.setdefault((lab, rn), [0, 0])
            for it, per in zip(items, res):
                r = per[ci]
                mask = kept_mask(it["text"], r["kept"])
                altered = altered_numbers(it["text"], mask, r["prompt"])
                empty = bool(it["text"].strip()) and not r["prompt"].strip()
                integrity[lab]["numbers_altered"] += len(altered)
                integrity[lab]["empty_outputs"] += empty
                if (altered or empty) and sum(f["set"] == name for f in failures) < 20:
                    failures.append({"set": name, "rate": rn, "setting": lab, "numbers_altered": altered[:10],
                                     "empty": empty, "input": it["text"][:200]})
                t[0] += r["originTokens"]
                t[1] += r["compressedTokens"]
            for metric in metrics:
                kept = total = 0
                for it, per in zip(items, res):
                    k, n = METRICS[metric](it, kept_mask(it["text"], per[ci]["kept"]))
                    kept, total = kept + k, total + n
                table.setdefault(lab, {}).setdefault(f"{name}.{metric}", {})[rn] = kept / max(total, 1)
                totals[f"{name}.{metric}"] = total
    for (lab, rn), (o, c) in tokens.items():
        table[lab].setdefault("ratio", {})[rn] = o / max(c, 1)
    return table, totals, integrity, failures, outputs
