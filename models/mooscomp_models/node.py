"""The Node helpers in models/node/ (onnxruntime-web and the package's compressor under Node),
run from the repository root so that they resolve js/'s dependencies."""
import os
import subprocess

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(MODELS)
NODE_DIR = os.path.join(MODELS, "node")


def helper(name):
    """Path of a helper script, e.g. helper("ort_run.mjs")."""
    return os.path.join(NODE_DIR, name)


def run_helper(name, *args, **kwargs):
    """`node models/node/NAME ARGS...` in the repository root (subprocess.run keywords pass through)."""
    return subprocess.run(["node", helper(name), *args], cwd=ROOT, **kwargs)
