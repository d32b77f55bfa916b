"""The client inside a command objective: the runner starts the program with $HPO_CONFIG, $HPO_SPACE,
$HPO_TRIAL_DIR, $HPO_CHANNEL (a file the client appends JSON lines to) and $HPO_PRUNE_FILE (created when
the pruner stops the trial). Without $HPO_CHANNEL (an older runner, or by hand) the client prints the
JSON lines of the command protocol on standard output instead."""

import json
import math
import numbers
import os
import shutil
import sys
import threading
import time

from ._space import Suggest, typed

_lock = threading.Lock()
_state = {"polled": False, "attrs": {}, "reported": None}
# How long should_prune() waits for the pruner's answer to the step just reported.
PRUNE_ANSWER_SECONDS = 10.0


class TrialPruned(Exception):
    """Raise it when should_prune() says so; the runner already recorded the trial as pruned."""


def _quiet_pruned(hook):
    def excepthook(kind, value, traceback):
        if issubclass(kind, TrialPruned):
            sys.stderr.write("hpo_studio: the trial was pruned and stopped\n")
        else:
            hook(kind, value, traceback)

    return excepthook


sys.excepthook = _quiet_pruned(sys.excepthook)


def _env(name, call):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            "hs.%s(): $%s is not set: this program is not running as an HPO Studio trial "
            "(run it from a study with a command objective)" % (call, name)
        )
    return value


def _finite(call, what, value):
    """A finite real number (NumPy's too) as a plain int or float, ready for JSON."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError("hs.%s(): %s must be a finite number, got %r" % (call, what, value))
    value = float(value)
    return int(value) if value.is_integer() and what == "step" else value


def _send(message):
    line = json.dumps(message, allow_nan=False)
    channel = os.environ.get("HPO_CHANNEL")
    with _lock:
        if channel:
            with open(channel, "a", encoding="utf-8") as f:
                f.write(line + "\n")
            return
        # The stdout protocol: {"step", "value"} reports, a final {"value", ...attributes} line.
        kind = message["t"]
        if kind == "report":
            out = {"step": message["step"], "value": message["value"]}
        elif kind == "result":
            out = dict(_state["attrs"], value=message["value"])
        elif kind == "attr":
            _state["attrs"][message["key"]] = message["value"]
            return
        else:
            return
        sys.stdout.write("\n" + json.dumps(out) + "\n")
        sys.stdout.flush()


def _space():
    space_file = os.environ.get("HPO_SPACE")
    if not space_file or not os.path.exists(space_file):
        return {}
    with open(space_file, encoding="utf-8") as f:
        return json.load(f)


def params():
    """This trial's configuration (the active parameters), typed by the study's space: p["lr"] or p.lr."""
    with open(_env("HPO_CONFIG", "params"), encoding="utf-8") as f:
        raw = json.load(f)
    return typed(raw, _space())


def report(step, value):
    """An intermediate value at a step (epoch, boosting round): the learning curve and the pruner see it."""
    step = _finite("report", "step", step)
    _send({"t": "report", "step": step, "value": _finite("report", "value", value)})
    _state["reported"] = step


def _pruner_answer(checked_file, step):
    """The pruner's answer to the report at `step`, once the runner has written it ($HPO_PRUNE_CHECKED)."""
    try:
        with open(checked_file, encoding="utf-8") as f:
            answer = json.load(f)
    except (OSError, ValueError):
        return None
    return bool(answer.get("prune")) if answer.get("step") == step else None


def should_prune():
    """True once the pruner has stopped this trial: stop training (raise hs.TrialPruned()).
    A pruned program that never asks is ended by the runner at once; one that asks gets a grace period."""
    prune_file = os.environ.get("HPO_PRUNE_FILE")
    if not prune_file:
        return False
    if not _state["polled"]:
        _state["polled"] = True
        _send({"t": "polls-prune"})
    checked_file = os.environ.get("HPO_PRUNE_CHECKED")
    step, _state["reported"] = _state["reported"], None
    if checked_file and step is not None:
        # Answer for the step just reported, as Optuna's should_prune() does: wait for the pruner.
        deadline = time.monotonic() + PRUNE_ANSWER_SECONDS
        while time.monotonic() < deadline and not os.path.exists(prune_file):
            answer = _pruner_answer(checked_file, step)
            if answer is not None:
                return answer
            time.sleep(0.005)
    return os.path.exists(prune_file)


def attr(key, value):
    """A user attribute of the trial (any JSON value), stored at once and shown on the trial page."""
    if not isinstance(key, str) or not key:
        raise ValueError("hs.attr(): key must be a non-empty string, got %r" % (key,))
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ValueError("hs.attr(%r): the value must be JSON (%s)" % (key, e)) from None
    _send({"t": "attr", "key": key, "value": value})


def artifact(path, name=None):
    """Keeps a file with the trial: copied into $HPO_TRIAL_DIR/artifacts/ (beside the study's database),
    listed and downloadable on the trial page. Returns where the copy is."""
    trial_dir = _env("HPO_TRIAL_DIR", "artifact")
    if not os.path.isfile(path):
        raise FileNotFoundError("hs.artifact(): %r is not a file" % (path,))
    name = name or os.path.basename(path)
    if os.path.basename(name) != name or name in ("", ".", ".."):
        raise ValueError("hs.artifact(): name must be a plain file name, got %r" % (name,))
    folder = os.path.join(trial_dir, "artifacts")
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, name)
    shutil.copyfile(path, target)
    _send({"t": "artifact", "name": name, "bytes": os.path.getsize(target)})
    return target


def result(value):
    """The trial's value (what the study minimizes or maximizes)."""
    _send({"t": "result", "value": _finite("result", "value", value)})


class CommandTrial(Suggest):
    """This trial as define-by-run code reads it: trial.suggest_float("lr") returns the value the tuner
    chose for the declared parameter "lr"; report, should_prune and set_user_attr go to the runner."""

    def __init__(self):
        self.params = params()
        self.number = int(os.environ.get("HPO_TRIAL_NUMBER", "0"))
        Suggest.__init__(self, self.params, _space())

    def report(self, step, value):
        report(step, value)

    def should_prune(self):
        return should_prune()

    def set_user_attr(self, key, value):
        attr(key, value)


def trial():
    """This trial for define-by-run code (an Optuna objective's body): suggest_*, report, should_prune."""
    return CommandTrial()
