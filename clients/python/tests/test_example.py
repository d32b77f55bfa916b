"""The converted Optuna script (examples/optuna/sgd_digits.py) run by `hpo-studio run` as a command
objective: real training, the median pruner stopping trials that stop themselves, artifacts kept."""

import json
import os
import re
import shutil
import sqlite3
import unittest

from support import ROOT, hpo, temp_dir


class ConvertedExampleTest(unittest.TestCase):
    def test_runs_with_pruning_attributes_and_artifacts(self):
        d = temp_dir(self)
        for name in ("sgd_digits.py", "sgd-digits.yaml"):
            shutil.copy(os.path.join(ROOT, "examples", "optuna", name), d)
        study_file = os.path.join(d, "sgd-digits.yaml")
        with open(study_file) as f:
            text = f.read()
        # Debian's python3 has scikit-learn; one trial at a time and a seed make the run repeatable.
        text = text.replace("run: [python3,", "run: [/usr/bin/python3,")
        text = re.sub(r"budget: .*", "budget: { trials: 8 }\nseed: 3", text).replace("concurrency: 2", "concurrency: 1")
        with open(study_file, "w") as f:
            f.write(text)
        db = os.path.join(d, "db.sqlite")
        hpo("run", study_file, "--db", db)

        export = json.loads(hpo("export", "sgd-digits", "--db", db, "--format", "json").stdout)
        states = [t["state"] for t in export["trials"]]
        self.assertEqual(len(states), 8)
        self.assertIn("pruned", states)
        complete = [t for t in export["trials"] if t["state"] == "complete"]
        self.assertTrue(complete)
        for t in complete:
            self.assertEqual(t["userAttrs"]["epochs_trained"], t["params"]["epochs"])
            kept = os.path.join(d, "artifacts", "sgd-digits", str(t["number"]), "artifacts", "model.json")
            with open(kept) as f:
                self.assertEqual(len(json.load(f)["coef"]), 10)

        db_conn = sqlite3.connect(db)
        self.addCleanup(db_conn.close)
        for t in (t for t in export["trials"] if t["state"] == "pruned"):
            log = "".join(
                row[0]
                for row in db_conn.execute(
                    "SELECT c.text FROM trial_log_chunks c JOIN trials t ON t.id = c.trial_id "
                    "JOIN studies s ON s.id = t.study_id WHERE s.name = 'sgd-digits' AND t.number = ?",
                    (t["number"],),
                )
            )
            # It stopped itself when told (should_prune), before the grace period ran out.
            self.assertIn("the trial was pruned and stopped", log)


if __name__ == "__main__":
    unittest.main()
