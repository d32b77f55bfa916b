"""HPO Studio's Python client. Standard library only.

Inside a command objective (the runner starts your program):

    import hpo_studio as hs
    p = hs.params()                 # this trial's configuration, typed as the study's space says
    hs.report(epoch, val_loss)      # an intermediate value (learning curve, pruner)
    if hs.should_prune():           # the pruner stopped this trial
        raise hs.TrialPruned()
    hs.attr("epochs", epoch)        # a user attribute, shown on the trial page
    hs.artifact("model.pt")         # a file kept with the trial
    hs.result(val_loss)             # the trial's value

From your own process (ask and tell, against `hpo-studio serve`):

    study = hs.connect("http://127.0.0.1:PORT/?token=…", "my-study")
    t = study.ask()
    t.report(0, 0.5)
    study.tell(t, 0.42)             # or study.tell(t, state="failed")
    study.optimize(lambda t: train(t.suggest_float("lr")), n_trials=20)
"""

from ._client import HpoStudioError, Study, Trial, connect
from ._objective import TrialPruned, artifact, attr, params, report, result, should_prune, trial
from ._space import Params

__version__ = "0.1.0"
__all__ = [
    "HpoStudioError",
    "Params",
    "Study",
    "Trial",
    "TrialPruned",
    "artifact",
    "attr",
    "connect",
    "params",
    "report",
    "result",
    "should_prune",
    "trial",
]
