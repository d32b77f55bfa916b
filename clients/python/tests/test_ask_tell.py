"""Ask and tell from a user's own process against a real `hpo-studio serve`: the study's tuner proposes,
the client trains, reports and tells; a client that vanishes gets its trial interrupted and re-asked;
an Optuna study imported from real Optuna is continued by several tuners."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

from support import BIN, CLIENT, PYTHON, client_env, hpo

sys.path.insert(0, CLIENT)
import hpo_studio as hs  # noqa: E402

STUDY = """
name: {name}
direction: minimize
objective: {{ kind: external, heartbeatSeconds: {heartbeat} }}
space:
  x: {{ type: float, low: -3, high: 3 }}
  opt: {{ type: categorical, choices: [adam, sgd] }}
  momentum: {{ type: float, low: 0, high: 1, when: {{ opt: sgd }} }}
tuner: {{ kind: tpe, nStartupTrials: 3 }}
pruner: {{ kind: median, minTrials: 2 }}
budget: {{ trials: {budget} }}
concurrency: 2
seed: 5
"""

OPTUNA_STUDY = """
import sys, optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
def objective(t):
    x = t.suggest_float("x", -3, 3)
    if t.suggest_categorical("opt", ["adam", "sgd"]) == "sgd":
        x += t.suggest_float("momentum", 0, 1)
    return x * x
study = optuna.create_study(study_name="from-optuna", storage="sqlite:///" + sys.argv[1],
                            sampler=optuna.samplers.RandomSampler(seed=0))
study.optimize(objective, n_trials=6)
"""


def objective(t):
    x = t.suggest_float("x", -3, 3)
    if t.suggest_categorical("opt", ["adam", "sgd"]) == "sgd":
        x += t.suggest_float("momentum", 0, 1)
    for step in range(3):
        t.report(step, x * x + 1.0 / (step + 1))
        if t.should_prune():
            raise hs.TrialPruned()
    return x * x


class AskTellTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="hpo-py-")
        cls.addClassCleanup(shutil.rmtree, cls.dir, True)
        cls.db = os.path.join(cls.dir, "db.sqlite")
        for name, heartbeat, budget in (("nb", 60, 8), ("quiet", 2, 5), ("errors", 60, 3)):
            path = os.path.join(cls.dir, name + ".yaml")
            with open(path, "w") as f:
                f.write(STUDY.format(name=name, heartbeat=heartbeat, budget=budget))
            hpo("run", path, "--db", cls.db)
        cls.serve = subprocess.Popen(
            ["node", BIN, "serve", "--db", cls.db], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        cls.url = cls.serve.stdout.readline().strip()
        assert cls.url.startswith("http://127.0.0.1:"), cls.url

    @classmethod
    def tearDownClass(cls):
        cls.serve.send_signal(signal.SIGINT)
        cls.serve.wait(timeout=60)

    def trials(self, name):
        """The study's trials as the database holds them (read directly: quicker than hpo-studio show)."""
        with sqlite3.connect(self.db) as conn:
            rows = conn.execute(
                "SELECT t.number, t.state, t.value, t.error, t.user_attrs FROM trials t "
                "JOIN studies s ON s.id = t.study_id WHERE s.name = ?",
                (name,),
            ).fetchall()
        keys = ("number", "state", "value", "error", "userAttrs")
        return {r[0]: dict(zip(keys, r[:4] + (json.loads(r[4]),))) for r in rows}

    def test_a_notebook_loop_asks_reports_and_tells(self):
        study = hs.connect(self.url, "nb")
        self.assertEqual(study.direction, "minimize")
        t = study.ask()
        self.assertEqual(sorted(t.params) in (["opt", "x"], ["momentum", "opt", "x"]), True)
        t.report(0, 2.5)
        self.assertFalse(t.should_prune())
        t.attr("note", {"epochs": 1})
        self.assertEqual(study.tell(t, 0.75), {"state": "complete", "value": 0.75})
        with self.assertRaises(hs.HpoStudioError) as twice:
            study.tell(t, 0.5)
        self.assertEqual(twice.exception.code, "ALREADY_TOLD")
        study.optimize(objective, n_trials=20)  # stops when the budget of 8 is spent
        trials = self.trials("nb")
        self.assertEqual(len(trials), 8)
        self.assertEqual(trials[t.number]["value"], 0.75)
        self.assertTrue({"complete", "pruned"} >= {x["state"] for x in trials.values()})
        self.assertEqual(trials[t.number]["userAttrs"], {"note": {"epochs": 1}})
        with self.assertRaises(hs.HpoStudioError) as spent:
            study.ask()
        self.assertEqual(spent.exception.code, "BUDGET_SPENT")

    def test_a_client_cannot_tell_a_trial_it_does_not_own_or_read_a_parameter_not_declared(self):
        study = hs.connect(self.url, "errors")
        t = study.ask()
        forged = hs.Trial(study, t.number, "not-the-ticket", dict(t.params), 60)
        with self.assertRaises(hs.HpoStudioError) as e:
            study.tell(forged, 1.0)
        self.assertEqual(e.exception.code, "TRIAL_NOT_OWNED")
        with self.assertRaises(KeyError) as missing:
            t.suggest_float("lr", 1e-5, 1e-1, log=True)
        self.assertIn("the study's space has no parameter 'lr' (parameters: x, opt, momentum)", str(missing.exception))
        with self.assertRaises(hs.HpoStudioError) as gone:
            hs.connect(self.url, "no-such-study")
        self.assertEqual(gone.exception.code, "STUDY_NOT_FOUND")
        study.tell(t, state="failed", error="diverged")
        self.assertEqual(self.trials("errors")[t.number]["error"], "diverged")

    def test_a_vanished_client_leaves_no_running_trial_and_its_trial_is_asked_again(self):
        script = "import hpo_studio as hs, os, sys\nt = hs.connect(sys.argv[1], 'quiet').ask()\nprint(t.number, flush=True)\nos._exit(0)"
        r = subprocess.run([PYTHON, "-c", script, self.url], env=client_env(), capture_output=True, text=True, timeout=60)
        number = int(r.stdout)
        deadline = time.time() + 30
        while self.trials("quiet")[number]["state"] == "running" and time.time() < deadline:
            time.sleep(0.5)
        self.assertEqual(self.trials("quiet")[number]["state"], "interrupted")
        self.assertIn("no report or heartbeat for 2 s", self.trials("quiet")[number]["error"])
        again = hs.connect(self.url, "quiet").ask()
        self.assertEqual(again.number, number)
        again.study.tell(again, 1.5)
        self.assertEqual(self.trials("quiet")[number]["state"], "complete")

    def test_a_study_written_by_optuna_is_continued_by_any_tuner(self):
        optuna_db = os.path.join(self.dir, "optuna.db")
        subprocess.run([PYTHON, "-c", OPTUNA_STUDY, optuna_db], check=True, timeout=120)
        for tuner in ("tpe", "gp", "cmaes", "qmc"):
            name = "from-optuna-" + tuner
            hpo("import-optuna", optuna_db, "--db", self.db, "--name", name, "--tuner", tuner, "--trials", "2")
            study = hs.connect(self.url, name)
            study.optimize(objective, n_trials=10)
            trials = self.trials(name)
            self.assertEqual(sorted(trials), list(range(8)), tuner)
            for n in (6, 7):
                self.assertIn(trials[n]["state"], ("complete", "pruned"), tuner)


if __name__ == "__main__":
    unittest.main()
