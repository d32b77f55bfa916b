"""The client inside a command objective, as the runner starts it: real files, a real child Python."""

import json
import os
import subprocess
import unittest

from support import PYTHON, client_env, temp_dir

SPACE = {
    "lr": {"type": "float", "low": 1e-5, "high": 1, "log": True},
    "dropout": {"type": "float", "low": 0, "high": 0.5, "step": 0.1},
    "layers": {"type": "int", "low": 1, "high": 4},
    "opt": {"type": "categorical", "choices": ["adam", "sgd"]},
    "momentum": {"type": "float", "low": 0, "high": 1, "when": {"opt": "sgd"}},
}


class TrialFiles:
    """The files and environment the runner gives a trial (src/worker/objectives/commandObjective.ts)."""

    def __init__(self, test, params, channel=True):
        self.dir = temp_dir(test)
        hpo_dir = os.path.join(self.dir, ".hpo")
        os.makedirs(hpo_dir)
        self.env = {
            "HPO_CONFIG": os.path.join(self.dir, "config.json"),
            "HPO_SPACE": os.path.join(hpo_dir, "space.json"),
            "HPO_TRIAL_DIR": self.dir,
            "HPO_TRIAL_NUMBER": "7",
            "HPO_PRUNE_FILE": os.path.join(hpo_dir, "pruned"),
        }
        if channel:
            self.env["HPO_CHANNEL"] = os.path.join(hpo_dir, "channel.jsonl")
        with open(self.env["HPO_CONFIG"], "w") as f:
            json.dump(params, f)
        with open(self.env["HPO_SPACE"], "w") as f:
            json.dump(SPACE, f)

    def run(self, code):
        return subprocess.run(
            [PYTHON, "-c", "import hpo_studio as hs\n" + code],
            env=client_env(self.env),
            cwd=self.dir,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def messages(self):
        with open(self.env["HPO_CHANNEL"]) as f:
            return [json.loads(line) for line in f]


PARAMS = {"lr": 0.01, "dropout": 0, "layers": 2, "opt": "adam"}


class ObjectiveTest(unittest.TestCase):
    def test_params_are_typed_by_the_space(self):
        t = TrialFiles(self, PARAMS)
        r = t.run("p = hs.params(); print(repr(p['dropout']), p.layers, p.opt, type(p.lr).__name__)")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), ["0.0", "2", "adam", "float"])

    def test_reports_attributes_artifacts_and_the_result_go_through_the_channel(self):
        t = TrialFiles(self, PARAMS)
        with open(os.path.join(t.dir, "weights.bin"), "wb") as f:
            f.write(b"\x00\x01\x02")
        r = t.run(
            "hs.report(0, 0.5); hs.report(1, 0.25); hs.attr('note', {'a': [1, 2]})\n"
            "print('a plain print'); print(hs.artifact('weights.bin')); hs.result(0.125)"
        )
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(
            t.messages(),
            [
                {"t": "report", "step": 0, "value": 0.5},
                {"t": "report", "step": 1, "value": 0.25},
                {"t": "attr", "key": "note", "value": {"a": [1, 2]}},
                {"t": "artifact", "name": "weights.bin", "bytes": 3},
                {"t": "result", "value": 0.125},
            ],
        )
        kept = os.path.join(t.dir, "artifacts", "weights.bin")
        self.assertIn("a plain print", r.stdout)
        self.assertIn(kept, r.stdout)
        with open(kept, "rb") as f:
            self.assertEqual(f.read(), b"\x00\x01\x02")

    def test_should_prune_reads_the_prune_file_and_says_once_that_it_polls(self):
        t = TrialFiles(self, PARAMS)
        r = t.run(
            "print(hs.should_prune())\nopen(__import__('os').environ['HPO_PRUNE_FILE'], 'w').close()\n"
            "print(hs.should_prune())\nraise hs.TrialPruned()"
        )
        self.assertEqual(r.stdout.split(), ["False", "True"])
        self.assertEqual(t.messages(), [{"t": "polls-prune"}])
        self.assertIn("the trial was pruned and stopped", r.stderr)
        self.assertNotIn("Traceback", r.stderr)

    def test_should_prune_answers_for_the_step_just_reported(self):
        t = TrialFiles(self, PARAMS)
        t.env["HPO_PRUNE_CHECKED"] = os.path.join(t.dir, ".hpo", "checked")
        r = t.run(
            "import json, os, threading, time\n"
            "def answer(step, prune, after):\n"
            "    time.sleep(after)\n"
            "    with open(os.environ['HPO_PRUNE_CHECKED'] + '.tmp', 'w') as f: json.dump({'step': step, 'prune': prune}, f)\n"
            "    os.replace(os.environ['HPO_PRUNE_CHECKED'] + '.tmp', os.environ['HPO_PRUNE_CHECKED'])\n"
            "hs.report(0, 1.0); answer(0, False, 0); print(hs.should_prune())\n"
            "hs.report(1, 2.0); threading.Thread(target=answer, args=(1, True, 0.3)).start()\n"
            "start = time.monotonic(); print(hs.should_prune(), time.monotonic() - start >= 0.25)"
        )
        self.assertEqual(r.stdout.split(), ["False", "True", "True"], r.stderr)

    def test_without_a_channel_it_prints_the_stdout_protocol(self):
        t = TrialFiles(self, PARAMS, channel=False)
        r = t.run("hs.report(3, 0.5); hs.attr('k', 1); hs.result(0.25)")
        lines = [json.loads(x) for x in r.stdout.split("\n") if x.strip()]
        self.assertEqual(lines, [{"step": 3, "value": 0.5}, {"k": 1, "value": 0.25}])

    def test_numpy_numbers_are_numbers(self):
        t = TrialFiles(self, PARAMS)
        r = t.run("import numpy as np\nhs.report(np.int64(2), np.float32(0.5)); hs.result(np.float64(0.25))")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(t.messages(), [{"t": "report", "step": 2, "value": 0.5}, {"t": "result", "value": 0.25}])

    def test_bad_values_are_specific_errors(self):
        t = TrialFiles(self, PARAMS)
        r = t.run("hs.report(0, float('nan'))")
        self.assertIn("ValueError: hs.report(): value must be a finite number, got nan", r.stderr)
        r = t.run("hs.attr('k', object())")
        self.assertIn("hs.attr('k'): the value must be JSON", r.stderr)
        r = t.run("hs.artifact('missing.txt')")
        self.assertIn("hs.artifact(): 'missing.txt' is not a file", r.stderr)
        r = subprocess.run([PYTHON, "-c", "import hpo_studio as hs; hs.params()"], env=client_env(), capture_output=True, text=True)
        self.assertIn("$HPO_CONFIG is not set: this program is not running as an HPO Studio trial", r.stderr)

    def test_trial_suggest_reads_declared_parameters_only(self):
        t = TrialFiles(self, PARAMS)
        ok = t.run(
            "t = hs.trial(); print(t.number, t.suggest_float('lr', 1e-5, 1, log=True), t.suggest_int('layers', 1, 4),"
            " t.suggest_categorical('opt', ['adam', 'sgd']), t.suggest_float('dropout', 0, 0.5, step=0.1))"
        )
        self.assertEqual(ok.stdout.split(), ["7", "0.01", "2", "adam", "0.0"])
        cases = {
            "t.suggest_float('width')": "the study's space has no parameter 'width' (parameters: lr, dropout, layers, opt, momentum)",
            "t.suggest_float('momentum', 0, 1)": "'momentum' is inactive in this trial (it is set when {'opt': 'sgd'}",
            "t.suggest_float('lr', 1e-4, 1, log=True)": "low=0.0001 differs from the study's space, which declares low=1e-05",
            "t.suggest_int('lr')": "'lr' is a float parameter in the study's space",
            "t.suggest_categorical('opt', ['adam', 'rmsprop'])": "choices ['adam', 'rmsprop'] differ from the study's space",
        }
        for call, message in cases.items():
            r = t.run("t = hs.trial(); " + call)
            self.assertIn(message, r.stderr, call)


if __name__ == "__main__":
    unittest.main()
