"""The one split of the LLM-compressed SAT set (compression/llm-style/sat-dev.jsonl).

40 passages: 28 to train on, 12 to validate on, chosen by position in id order (every passage
whose index modulo 10 is 3, 6 or 9 is validation). Each row is a distinct passage, so the split
is by passage; every command that trains or reports on these labels uses this function.
"""
VAL_POSITIONS = (3, 6, 9)


def sat_split(rows):
    """rows of sat-dev.jsonl -> (train rows, validation rows), both in id order."""
    ordered = sorted(rows, key=lambda r: r["id"])
    train = [r for i, r in enumerate(ordered) if i % 10 not in VAL_POSITIONS]
    val = [r for i, r in enumerate(ordered) if i % 10 in VAL_POSITIONS]
    return train, val
