"""kfold.sh's table: per fold, SAT val word F1 (the fold's held-out passages) of each recipe
and of the baselines on the same passages, then each recipe's mean, minimum and maximum and
the folds on which it beats the part-of-speech rule.

    /usr/bin/python3 models/kfold_report.py OUT RECIPE [RECIPE...]

Reads OUT/fold-K/quality-RECIPE.json (quality.py --json with --sat-fold K/N: the full table or
--only agreement); a fold not yet measured is shown as missing and left out of the summary."""
import argparse
import glob
import json
import os
import re
import statistics

BASELINES = ("pos_rule", "stopwords_first", "random")


def fold_rows(out, recipes):
    """[(fold, {column: SAT val F1 or None})] in fold order."""
    rows = []
    folds = sorted(glob.glob(os.path.join(out, "fold-*")), key=lambda p: int(re.sub(r"\D", "", os.path.basename(p))))
    for path in folds:
        cells = {}
        for recipe in recipes:
            f = os.path.join(path, f"quality-{recipe}.json")
            if not os.path.exists(f):
                cells[recipe] = None
                continue
            report = json.load(open(f))
            label = report["settings"][-1]
            if "agreement" in report:  # quality.py --only agreement
                table = report["agreement"]["table"]
                cells[recipe] = table[label]["sat_val"]
                cells.update({b: table[b]["sat_val"] for b in BASELINES})
            else:  # the full table
                cells[recipe] = report["results"][label]["agreement"]["sat_val"]
                cells.update({b: report["baselines"][b]["agreement"]["sat_val"] for b in BASELINES})
        rows.append((os.path.basename(path), cells))
    return rows


def summary(rows, column):
    vals = [c[column] for _, c in rows if c.get(column) is not None]
    if not vals:
        return None
    beats = sum(1 for _, c in rows if c.get(column) is not None and c.get("pos_rule") is not None
                and c[column] > c["pos_rule"])
    return {"mean": statistics.mean(vals), "min": min(vals), "max": max(vals), "folds": len(vals), "beats_rule": beats}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("recipes", nargs="+")
    args = p.parse_args()
    rows = fold_rows(args.out, args.recipes)
    columns = list(args.recipes) + list(BASELINES)
    fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    print("| fold | " + " | ".join(columns) + " |")
    print("|" + "---|" * (len(columns) + 1))
    for name, cells in rows:
        print(f"| {name} | " + " | ".join(fmt(cells.get(c)) for c in columns) + " |")
    for c in columns:
        s = summary(rows, c)
        if s:
            extra = "" if c in BASELINES else f", above the rule on {s['beats_rule']} of {s['folds']}"
            print(f"{c}: mean {s['mean']:.3f}, min {s['min']:.3f}, max {s['max']:.3f} over {s['folds']} folds{extra}")


if __name__ == "__main__":
    main()
