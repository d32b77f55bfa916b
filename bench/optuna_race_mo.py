# The multi-objective race's reference (`npm run bench -- race-mo` compares with it): Optuna 3.1's
# NSGAIISampler (default uniform crossover, and SBX), multi-objective TPESampler (MOTPE) and
# RandomSampler on the problems of bench/race-mo.bench.ts: hypervolume of the feasible trials after
# 50, 100, 200 trials, seeds 0..N-1. Uses Debian's python3-optuna (3.1.0); the tabular problems read
# the development tables in ../shared/benchmarks/tabular (left out when the folder is absent).
#   nice /usr/bin/python3 bench/optuna_race_mo.py [--seeds=10] [--budget=200] [--only=zdt1,dtlz2]
#     [--samplers=random,nsga2,nsga2-sbx,tpe]
# Updates bench/results/optuna31-race-mo.json one (problem, sampler) at a time; each entry keeps its
# own seeds and budget (MOTPE in Optuna 3.1 recomputes hypervolumes for every parameter of every
# trial, so it ran with fewer). The file is committed: race-mo's figures cite it.
import gzip
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import optuna
from optuna._hypervolume import WFG

assert optuna.__version__.startswith("3.1."), optuna.__version__
optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
TABLES = os.path.join(HERE, "..", "..", "shared", "benchmarks", "tabular")
DEFAULT_DIMS = {"zdt1": 10, "zdt2": 10, "zdt3": 10, "dtlz2": 7}


def zdt(kind, d):
    def h(f1, g):
        if kind == 1:
            return 1 - math.sqrt(f1 / g)
        if kind == 2:
            return 1 - (f1 / g) ** 2
        return 1 - math.sqrt(f1 / g) - (f1 / g) * math.sin(10 * math.pi * f1)

    def objective(t):
        x = [t.suggest_float(f"x{i}", 0, 1) for i in range(d)]
        g = 1 + 9 * sum(x[1:]) / (d - 1)
        return x[0], g * h(x[0], g)

    return {"objective": objective, "directions": ["minimize"] * 2, "reference": [1.1, 11]}


def dtlz2(d):
    def objective(t):
        x = [t.suggest_float(f"x{i}", 0, 1) for i in range(d)]
        g = sum((v - 0.5) ** 2 for v in x[2:])
        a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
        return (
            (1 + g) * math.cos(a) * math.cos(b),
            (1 + g) * math.cos(a) * math.sin(b),
            (1 + g) * math.sin(a),
        )

    return {"objective": objective, "directions": ["minimize"] * 3, "reference": [1.1] * 3}


def binh_korn():
    def objective(t):
        x = t.suggest_float("x", 0, 5)
        y = t.suggest_float("y", 0, 3)
        # c ≤ 0 feasible, as Optuna's constraints_func wants: c1 ≤ 25, c2 ≥ 7.7
        t.set_user_attr("c", [(x - 5) ** 2 + y * y - 25, 7.7 - ((x - 8) ** 2 + (y + 3) ** 2)])
        return 4 * x * x + 4 * y * y, (x - 5) ** 2 + (y - 5) ** 2

    return {
        "objective": objective,
        "directions": ["minimize"] * 2,
        "reference": [150, 55],
        "constrained": True,
    }


def tabular_cost(family, config):
    """The second objective of a tabular problem, derived from the configuration (not in the table)."""
    if family == "hpobench":
        w, depth = config["width"], config["depth"]
        return (depth - 1) * w * w + depth * w
    if family == "hpolib":
        a, b = config["n_units_1"], config["n_units_2"]
        return a * b + a + b
    return sum(9 if op == "nor_conv_3x3" else 1 if op == "nor_conv_1x1" else 0 for op in config.values())


def tabular(name):
    with gzip.open(os.path.join(TABLES, f"{name}.json.gz"), "rt") as f:
        table = json.load(f)
    order, space, family = table["order"], table["space"], table["family"]
    sign = -1 if table["direction"] == "maximize" else 1
    losses = []
    for key, value in table["table"].items():
        config = {p: space[p][int(key[i])] for i, p in enumerate(order)}
        losses.append((sign * value, tabular_cost(family, config)))
    # the table's median configuration: hypervolume then measures the gain over a typical one (the
    # worst configurations of a table are so bad that every tuner's front nearly fills their box)
    reference = [float(np.median([l[k] for l in losses])) for k in (0, 1)]

    def objective(t):
        idx = [t.suggest_int(p, 0, len(space[p]) - 1) for p in order]
        config = {p: space[p][i] for p, i in zip(order, idx)}
        return table["table"]["".join(map(str, idx))], tabular_cost(family, config)

    return {
        "objective": objective,
        "directions": [table["direction"], "minimize"],
        "reference": [float(r) for r in reference],
    }


TABULAR = {
    "tab-australian": "hpobench-australian",
    "tab-naval": "hpolib-naval_propulsion",
    "tab-nasbench": "nasbench201-cifar10",
}


def problems():
    out = {
        "zdt1": lambda: zdt(1, DEFAULT_DIMS["zdt1"]),
        "zdt2": lambda: zdt(2, DEFAULT_DIMS["zdt2"]),
        "zdt3": lambda: zdt(3, DEFAULT_DIMS["zdt3"]),
        "dtlz2": lambda: dtlz2(DEFAULT_DIMS["dtlz2"]),
        "binh_korn": binh_korn,
    }
    if os.path.isdir(TABLES):
        for key, table in TABULAR.items():
            out[key] = (lambda t: lambda: tabular(t))(table)
    return out


def constraints(t):
    return t.user_attrs["c"]


def sampler(kind, seed, constrained):
    cf = constraints if constrained else None
    if kind == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, constraints_func=cf)
    if kind == "nsga2-sbx":
        crossover = optuna.samplers.nsgaii.SBXCrossover()
        return optuna.samplers.NSGAIISampler(seed=seed, crossover=crossover, constraints_func=cf)
    if kind == "tpe":
        return optuna.samplers.TPESampler(seed=seed, constraints_func=cf)
    return optuna.samplers.RandomSampler(seed=seed)


def hypervolume_after(study, problem, n):
    signs = [-1 if d == "maximize" else 1 for d in problem["directions"]]
    pts = []
    for t in study.trials[:n]:
        if t.state != optuna.trial.TrialState.COMPLETE:
            continue
        if problem.get("constrained") and any(c > 0 for c in t.user_attrs["c"]):
            continue
        p = [s * v for s, v in zip(signs, t.values)]
        if all(v < r for v, r in zip(p, problem["reference"])):
            pts.append(p)
    if not pts:
        return 0.0
    return float(WFG().compute(np.asarray(pts), np.asarray(problem["reference"], dtype=float)))


def main():
    args = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    seeds = int(args.get("seeds", 10))
    budget = int(args.get("budget", 200))
    checkpoints = [c for c in (50, 100, 200, 300, 500) if c <= budget]
    only = args.get("only")
    samplers = args.get("samplers", "random,nsga2,nsga2-sbx,tpe").split(",")
    out_file = os.path.join(HERE, "results", "optuna31-race-mo.json")
    result = {"optuna": optuna.__version__, "numpy": np.__version__, "problems": {}}
    if os.path.exists(out_file):
        with open(out_file) as f:
            result = json.load(f)
    # what bench/results/ files carry (test/repo/citedResults.test.ts): the benchmark and the machine
    result["benchmark"] = "optuna31-race-mo"
    result["machine"] = {
        "platform": sys.platform,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    for name, make in problems().items():
        if only and name not in only.split(","):
            continue
        problem = make()
        entry = result["problems"].setdefault(name, {"samplers": {}})
        entry["reference"] = problem["reference"]
        for kind in samplers:
            runs, seconds = [], []
            for seed in range(seeds):
                study = optuna.create_study(
                    directions=problem["directions"],
                    sampler=sampler(kind, seed, problem.get("constrained", False)),
                )
                t0 = time.perf_counter()
                study.optimize(problem["objective"], n_trials=budget)
                seconds.append(time.perf_counter() - t0)
                runs.append([hypervolume_after(study, problem, n) for n in checkpoints])
            entry["samplers"][kind] = {
                "seeds": seeds,
                "checkpoints": checkpoints,
                "hypervolume": runs,
                "seconds": seconds,
            }
            medians = [float(np.median([r[i] for r in runs])) for i in range(len(checkpoints))]
            print(f"{name:16s} {kind:10s} median HV {medians}  {np.mean(seconds):.1f} s/run", flush=True)
            os.makedirs(os.path.dirname(out_file), exist_ok=True)
            with open(out_file, "w") as f:
                json.dump(result, f, indent=1)
                f.write("\n")


main()
