# An Optuna user's script: a linear classifier on scikit-learn's digits, trained epoch by epoch, pruned
# by HPO Studio's median pruner. sgd_digits_optuna.py is the same script before it was converted to
# HPO Studio's client (docs/coming-from-optuna.md shows the diff). Run: hpo-studio run sgd-digits.yaml
import json
import os
import tempfile

import hpo_studio as hs
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split


def objective(trial):
    alpha = trial.suggest_float("alpha", 1e-6, 1e-1, log=True)
    loss = trial.suggest_categorical("loss", ["hinge", "log_loss", "modified_huber"])
    penalty = trial.suggest_categorical("penalty", ["l2", "elasticnet"])
    l1_ratio = 0.15
    if penalty == "elasticnet":
        l1_ratio = trial.suggest_float("l1_ratio", 0.0, 1.0, step=0.05)
    epochs = trial.suggest_int("epochs", 5, 30, step=5)

    x, y = load_digits(return_X_y=True)
    x_train, x_val, y_train, y_val = train_test_split(x / 16.0, y, test_size=0.25, random_state=0)
    model = SGDClassifier(alpha=alpha, loss=loss, penalty=penalty, l1_ratio=l1_ratio, random_state=0)
    for epoch in range(epochs):
        model.partial_fit(x_train, y_train, classes=list(range(10)))
        accuracy = model.score(x_val, y_val)
        trial.report(epoch, accuracy)
        if trial.should_prune():
            raise hs.TrialPruned()
    trial.set_user_attr("epochs_trained", epochs)
    path = os.path.join(tempfile.mkdtemp(), "model.json")
    with open(path, "w") as f:
        json.dump({"coef": model.coef_.tolist(), "intercept": model.intercept_.tolist()}, f)
    hs.artifact(path)
    return accuracy


if __name__ == "__main__":
    hs.result(objective(hs.trial()))
