"""Retrieval prompts split into instruction, contexts and question, for the question table:
minilongbench's English QA tasks (passages of the multi-hop sets as a context list; one
document otherwise), each multi-hop answer passage hidden among 4 passages of other prompts,
and the SAT questions over their passages."""
import os
import re

from .. import data as D
from ..baselines import STOPWORDS

MULTI = ("hotpotqa", "2wikimqa", "musique")
SINGLE = ("multifieldqa_en", "qasper", "narrativeqa", "triviaqa")


def norm(text):
    """Lower case, runs of anything but letters and digits as one space, padded: " a b "."""
    return " " + re.sub(r"[^\w]+|_", " ", text.lower()).strip() + " "


def split_prompt(task, prompt):
    """LongBench's template -> (instruction, contexts, question): the question is what follows
    the last "Question:" (up to "Answer:"), the instruction the first paragraph."""
    at = prompt.rfind("Question:")
    question = re.sub(r"\s*Answer:\s*$", "", prompt[at + len("Question:"):]).strip()
    body = prompt[:at]
    first = body.find("\n\n")
    instruction, body = body[:first], body[first + 2:]
    # The instruction said again after the text is the template's, not the text's.
    again = body.rfind("\n\n" + instruction[:40])
    if again > 0:
        body = body[:again]
    if task in MULTI:
        body = body[body.find("Passage 1:"):] if "Passage 1:" in body else body
        return instruction, [p for p in re.split(r"\n?Passage \d+:\n", body) if p.strip()], question
    return instruction, [body], question


# Answers that judge the passages rather than quote them: "Are both villages in the same
# country?" -> "no" is not stated anywhere; matching it found "no train has run since 1993".
JUDGMENTS = {" yes ", " no "}


def answer_in(contexts, answers):
    """The first answer that stands in the contexts (normalised), else None; a yes or no is
    never one."""
    whole = norm(" ".join(contexts))
    return next((a for a in answers if norm(a).strip() and norm(a) not in JUDGMENTS and norm(a) in whole), None)


def longbench_questions(data, limit=None):
    """{"set", "task", "text": contexts, "question", "instruction", "answer"} for every QA prompt
    whose answer stands in its text (not a yes/no question)."""
    out = []
    for r in D.read_jsonl(os.path.join(data, "eval", "longbench", "minilongbench.jsonl")):
        if r["task"] not in MULTI + SINGLE:
            continue
        instruction, contexts, question = split_prompt(r["task"], r["prompt"])
        answer = answer_in(contexts, r["answers"])
        if answer:
            out.append({"set": "multi-passage" if r["task"] in MULTI else "one document", "task": r["task"],
                        "text": contexts, "question": question, "instruction": instruction, "answer": answer})
    return out[:limit] if limit else out


def hidden_among_four(items):
    """Each multi-passage item's answer passage among 4 passages of the next items (distractors
    that share no question), the answer passage at position i % 5."""
    multi = [it for it in items if it["set"] == "multi-passage"]
    out = []
    for i, it in enumerate(multi):
        answer_passage = next(p for p in it["text"] if norm(it["answer"]) in norm(p))
        others = [p for j in range(1, len(multi)) for p in multi[(i + j) % len(multi)]["text"][:1]][:4]
        contexts = others[:i % 5] + [answer_passage] + others[i % 5:]
        out.append({**it, "set": "hidden among 4", "text": contexts})
    return out


def sat_questions(data, limit=None):
    """One item per SAT question: its passage, the question with its options, and the correct
    option's content words that stand in the passage (the answer words)."""
    out = []
    for r in D.read_jsonl(os.path.join(data, "compression", "llm-style", "sat-dev.jsonl"))[:limit]:
        passage_words = set(norm(r["text"]).split())
        for q, a in zip(r["questions"], r["answers"]):
            m = re.search(r"^" + re.escape(a.strip()) + r"\)\s*(.+)$", q, re.M)
            if not m:
                continue
            words = [w for w in dict.fromkeys(norm(m.group(1)).split()) if w not in STOPWORDS and w in passage_words]
            if words:
                out.append({"set": "SAT", "task": "sat", "text": [r["text"]], "question": q.strip(), "instruction": "",
                            "answer": None, "answer_words": words})
    return out
