"""A run's log: human-readable lines (stdout and train.log) and records (metrics.jsonl)."""
import json
import os
import time


class Log:
    def __init__(self, out):
        self.text = open(os.path.join(out, "train.log"), "a", buffering=1)
        self.jsonl = open(os.path.join(out, "metrics.jsonl"), "a", buffering=1)

    def close(self):
        self.text.close()
        self.jsonl.close()

    def __call__(self, msg, **record):
        line = time.strftime("%H:%M:%S ") + msg
        print(line, flush=True)
        self.text.write(line + "\n")
        if record:
            self.jsonl.write(json.dumps(record) + "\n")
