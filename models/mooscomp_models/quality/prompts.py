"""The retention prompts, built from the shared data at run time: GSM8K 8-shot, BBH CoT,
LongBench, QMSum chunks, SAT passages and their questions; short prompts for integrity."""
import os
import random
import re

from .. import data as D
from ..splits import sat_split

EDGE = [  # short prompts and scripts without spaces: integrity only
    "北京是中华人民共和国的首都，常住人口超过2100万。故宫建于1420年。",
    "東京は日本の首都です。人口は約1400万人で、2021年に夏季オリンピックが開かれました。",
    "서울은 대한민국의 수도이며 인구는 약 950만 명이다. 한강이 도시를 가로지른다.",
    "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย มีประชากรประมาณ 10 ล้านคน",
    "Hi", "OK", "42", "Why?", "What is 2+2?", "Summarise this: the meeting moved to 11:05 on 3/4.",
    "Translate to French: I have 3 cats.", "x = 3.14", "🙂 thanks!",
]


def gsm8k_prompts(data, n, shots=8, seed=0):
    rows = D.read_jsonl(os.path.join(data, "eval", "gsm8k", "train.jsonl"))
    rng = random.Random(seed)
    prompts = []
    for _ in range(n):
        demos = []
        for r in rng.sample(rows, shots):
            work, final = r["answer"].split("####")
            work = re.sub(r"<<[^>]*>>", "", work).strip()
            demos.append(f"Question: {r['question']}\nLet's think step by step\n{work}\nThe answer is {final.strip()}")
        prompts.append({"text": "\n\n".join(demos)})
    return prompts


def bbh_prompts(data, limit=None):
    folder = os.path.join(data, "eval", "bbh", "cot-prompts")
    out = []
    for name in sorted(os.listdir(folder))[:limit]:
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        text = text.split("-----", 1)[1].strip() if "-----" in text else text.strip()  # canary header
        out.append({"text": text, "task": name[:-4]})
    return out


def longbench_prompts(data, per_task, tasks=None):
    rows = D.read_jsonl(os.path.join(data, "eval", "longbench", "minilongbench.jsonl"))
    taken, out = {}, []
    for r in rows:
        if taken.get(r["task"], 0) < per_task and (r["task"] in taken or tasks is None or len(taken) < tasks):
            taken[r["task"]] = taken.get(r["task"], 0) + 1
            out.append({"text": r["prompt"], "task": r["task"], "answers": r["answers"]})
    return out


def qmsum_chunks(data, n, words=1500):
    """n chunks of whole turns (>= `words` words), evenly spaced over all chunks of val.txt."""
    text = open(os.path.join(data, "pretrain", "qmsum", "val.txt"), encoding="utf-8").read()
    chunks = []
    for meeting in re.split(r"\n\s*\n", text):
        cur, count = [], 0
        for line in meeting.splitlines():
            if line.strip():
                cur.append(line)
                count += len(line.split())
            if count >= words:
                chunks.append("\n".join(cur))
                cur, count = [], 0
    step = len(chunks) / max(n, 1)
    return [{"text": chunks[int(i * step)]} for i in range(min(n, len(chunks)))]


def sat_rows(data, fold=None):
    rows = D.read_jsonl(os.path.join(data, "compression", "llm-style", "sat-dev.jsonl"))
    val_ids = {r["id"] for r in sat_split(rows, fold)[1]}
    for r in rows:
        r["val"] = r["id"] in val_ids
        r["refs"] = r["keep_refs"][:1]
        r["options"] = correct_options(r)
    return rows


def correct_options(row):
    """The text of each question's correct option ("B) the gold ..." -> "the gold ...")."""
    out = []
    for q, a in zip(row["questions"], row["answers"]):
        m = re.search(r"^" + re.escape(a.strip()) + r"\)\s*(.+)$", q, re.M)
        if m:
            out.append(m.group(1))
    return out
