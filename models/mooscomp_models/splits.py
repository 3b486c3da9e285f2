"""The splits of the LLM-compressed SAT set (compression/llm-style/sat-dev.jsonl).

40 passages. The shipped recipe's split: 28 to train on, 12 to validate on, chosen by position
in id order (every passage whose index modulo 10 is 3, 6 or 9 is validation). A fold "K/N"
(k-fold, models/kfold.sh) validates on the passages whose index modulo N is K instead. Each row
is a distinct passage, so every split is by passage; every command that trains or reports on
these labels uses this function.
"""
VAL_POSITIONS = (3, 6, 9)


def parse_fold(text):
    """"K/N" -> (K, N) with 0 <= K < N and N >= 2; None for None or ""."""
    if not text:
        return None
    k, _, n = str(text).partition("/")
    if not (k.isdigit() and n.isdigit()) or not 0 <= int(k) < int(n) or int(n) < 2:
        raise ValueError(f"a fold is K/N with 0 <= K < N, N >= 2: {text!r}")
    return int(k), int(n)


def fold_arg(text):
    """argparse's type for --sat-fold: the text itself once parse_fold accepts it."""
    parse_fold(text)
    return text


def sat_split(rows, fold=None):
    """rows of sat-dev.jsonl -> (train rows, validation rows), both in id order; `fold`
    ("K/N" or (K, N)) picks the k-fold split instead of the shipped one."""
    ordered = sorted(rows, key=lambda r: r["id"])
    k_n = parse_fold(fold) if isinstance(fold, str) or fold is None else fold
    is_val = (lambda i: i % k_n[1] == k_n[0]) if k_n else (lambda i: i % 10 in VAL_POSITIONS)
    train = [r for i, r in enumerate(ordered) if not is_val(i)]
    val = [r for i, r in enumerate(ordered) if is_val(i)]
    return train, val
