// `npm run bench -- trainers-xgboost [--datasets digits,vehicle] [--rounds 100] [--reps 7] [--nthread 1]`:
// XGBoost training time from Node (C API through koffi) against Python's xgboost on the same
// library build, data, split and params, and the cost of our per-round validation metric.
// Baseline, measured in the same run: Python's bare update loop (Debian python3-xgboost, run with
// HPO_PYTHON or /usr/bin/python3, never the first python3 on PATH).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readCsv } from '../src/worker/data/readCsv.ts'
import { splitDataset, takeRows, type DatasetPart } from '../src/worker/data/splitDataset.ts'
import { classificationMetric, correctCount } from '../src/worker/xgboost/classificationMetrics.ts'
import { findXgboostLibrary } from '../src/worker/xgboost/findXgboostLibrary.ts'
import { boosterParams } from '../src/worker/xgboost/trainBooster.ts'
import { loadXgboostLibrary, type XgboostLibrary } from '../src/worker/xgboost/xgboostLibrary.ts'
import { median, writeBenchResult } from './benchUtil.ts'

/** The sample data sets that ship with the app (resources/datasets/README.md). */
const DATASETS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources/datasets')

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback
}

type Mode = 'bare' | 'predict' | 'evalOneIter'

interface NodeRun {
  ms: number
  correct: number
}

/** One training from booster creation to the last round (data already in DMatrices' arrays). */
function trainNode(
  lib: XgboostLibrary,
  train: DatasetPart,
  valid: DatasetPart,
  nClasses: number,
  rounds: number,
  nthread: number,
  mode: Mode,
): NodeRun {
  const t0 = performance.now()
  const dtrain = lib.createDMatrix(train.features, train.rows, train.cols)
  dtrain.setLabels(Float32Array.from(train.labels))
  const dvalid = lib.createDMatrix(valid.features, valid.rows, valid.cols)
  dvalid.setLabels(Float32Array.from(valid.labels))
  const booster = lib.createBooster([dtrain, dvalid])
  for (const [k, v] of boosterParams({ tree_method: 'hist' }, nClasses, 0, nthread))
    booster.setParam(k, v)
  if (mode === 'evalOneIter') booster.setParam('eval_metric', nClasses === 2 ? 'error' : 'merror')
  for (let r = 0; r < rounds; r++) {
    booster.updateOneIter(r, dtrain)
    if (mode === 'predict')
      classificationMetric('accuracy', booster.predict(dvalid), valid.labels, nClasses)
    else if (mode === 'evalOneIter') booster.evalOneIter(r, [dvalid], ['valid'])
  }
  const ms = performance.now() - t0
  const correct = correctCount(booster.predict(dvalid), valid.labels, nClasses)
  booster.free()
  dvalid.free()
  dtrain.free()
  return { ms, correct }
}

const PYTHON_SCRIPT = `
import json, sys, time
import numpy as np
import xgboost as xgb
a = json.loads(sys.argv[1])
data = np.genfromtxt(a["csv"], delimiter=",", skip_header=1, dtype=np.float64)
X = data[:, :-1].astype(np.float32)
y = data[:, -1]
tr, va = np.array(a["train"]), np.array(a["valid"])
Xtr, ytr = np.ascontiguousarray(X[tr]), y[tr]
Xva, yva = np.ascontiguousarray(X[va]), y[va]
k = a["classes"]
params = {"tree_method": "hist", "nthread": a["nthread"], "seed": 0}
params.update({"objective": "binary:logistic"} if k == 2 else {"objective": "multi:softprob", "num_class": k})
out = {"bare": [], "evals": [], "version": xgb.__version__}
xgb.train(params, xgb.DMatrix(Xtr, label=ytr), 10)  # warm-up, as on the Node side
for rep in range(a["reps"]):
    for mode in ("bare", "evals"):
        t0 = time.perf_counter()
        dtrain = xgb.DMatrix(Xtr, label=ytr, nthread=a["nthread"])
        dvalid = xgb.DMatrix(Xva, label=yva, nthread=a["nthread"])
        if mode == "bare":
            bst = xgb.Booster(params, [dtrain, dvalid])
            for i in range(a["rounds"]):
                bst.update(dtrain, i)
        else:
            p = dict(params, eval_metric="error" if k == 2 else "merror")
            bst = xgb.train(p, dtrain, a["rounds"], evals=[(dvalid, "valid")], verbose_eval=False)
        out[mode].append((time.perf_counter() - t0) * 1000)
        pred = bst.predict(dvalid)
        lab = (pred > 0.5).astype(int) if k == 2 else pred.argmax(axis=1)
        out["correct"] = int((lab == yva).sum())
print(json.dumps(out))
`

interface PythonRun {
  bare: number[]
  evals: number[]
  correct: number
  version: string
}

function runPython(python: string, args: object): PythonRun | { error: string } {
  const r = spawnSync(python, ['-c', PYTHON_SCRIPT, JSON.stringify(args)], {
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 16 * 2 ** 20,
  })
  if (r.status !== 0)
    return { error: (r.stderr || r.error?.message || 'failed').trim().slice(-500) }
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as PythonRun
}

export default async function (args: string[]): Promise<void> {
  const names = arg(args, '--datasets', 'digits,vehicle,breast_cancer_wdbc').split(',')
  const rounds = Number(arg(args, '--rounds', '100'))
  const reps = Number(arg(args, '--reps', '7'))
  const nthread = Number(arg(args, '--nthread', '1'))
  const python = process.env.HPO_PYTHON || '/usr/bin/python3'
  const found = findXgboostLibrary()
  const lib = loadXgboostLibrary(found.path)
  console.log(
    `${lib.describe()} from ${found.source}; Python: ${python}; nthread=${nthread}, ${rounds} rounds, ${reps} reps`,
  )
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  const results: Record<string, unknown>[] = []
  {
    for (const name of names) {
      const csv = path.join(DATASETS, `${name}.csv`)
      if (!existsSync(csv)) {
        console.log(`${name}: ${csv} not found, skipped`)
        continue
      }
      const ds = readCsv(csv)
      const split = splitDataset(ds.labels, { fraction: 0.2, stratify: true, seed: 0 })
      const train = takeRows(ds, split.train)
      const valid = takeRows(ds, split.valid)
      const k = ds.classes.length
      trainNode(lib, train, valid, k, Math.min(rounds, 10), nthread, 'bare') // warm-up
      // Node and Python runs alternate, so a change in the machine's load hits both alike.
      const node: Record<Mode, number[]> = { bare: [], predict: [], evalOneIter: [] }
      const pyRuns: PythonRun[] = []
      let pyError: string | null =
        existsSync(python) || !path.isAbsolute(python) ? null : `${python} not found`
      let nodeCorrect = -1
      for (let r = 0; r < reps; r++) {
        for (const mode of ['bare', 'predict', 'evalOneIter'] as const) {
          const run = trainNode(lib, train, valid, k, rounds, nthread, mode)
          node[mode].push(run.ms)
          nodeCorrect = run.correct
        }
        if (pyError) continue
        const py = runPython(python, {
          csv,
          train: split.train,
          valid: split.valid,
          classes: k,
          rounds,
          reps: 1,
          nthread,
        })
        if ('error' in py) pyError = py.error
        else pyRuns.push(py)
      }
      const py: PythonRun | { error: string } = pyError
        ? { error: pyError }
        : {
            bare: pyRuns.flatMap((p) => p.bare),
            evals: pyRuns.flatMap((p) => p.evals),
            correct: pyRuns[0].correct,
            version: pyRuns[0].version,
          }
      const nodeBare = median(node.bare)
      const nodePredict = median(node.predict)
      const nodeEval = median(node.evalOneIter)
      const row: Record<string, unknown> = {
        dataset: name,
        trainRows: train.rows,
        validRows: valid.rows,
        features: train.cols,
        classes: k,
        nodeBareMs: nodeBare,
        nodeWithOurMetricMs: nodePredict,
        nodeWithEvalOneIterMs: nodeEval,
        ourMetricOverhead: nodePredict / nodeBare - 1,
        evalOneIterOverhead: nodeEval / nodeBare - 1,
        ourMetricMsPerRound: (nodePredict - nodeBare) / rounds,
        nodeCorrect,
        nodeRunsMs: node,
      }
      if ('error' in py) {
        row.python = py
        console.log(`${name}: Node bare ${nodeBare.toFixed(1)} ms; Python unavailable: ${py.error}`)
      } else {
        const pyBare = median(py.bare)
        const pyEvals = median(py.evals)
        Object.assign(row, {
          pythonVersion: py.version,
          pythonBareMs: pyBare,
          pythonTrainWithEvalsMs: pyEvals,
          pythonCorrect: py.correct,
          identicalAccuracy: py.correct === nodeCorrect,
          ratioNodeBareToPythonBare: nodeBare / pyBare,
          ratioOfFastestRuns: Math.min(...node.bare) / Math.min(...py.bare),
          ratioNodeWithMetricToPythonTrainWithEvals: nodePredict / pyEvals,
          pythonRunsMs: { bare: py.bare, evals: py.evals },
        })
        console.log(
          `${name} (${train.rows}×${train.cols}, ${k} classes): Node ${nodeBare.toFixed(1)} ms vs Python ${pyBare.toFixed(1)} ms bare ` +
            `(ratio ${(nodeBare / pyBare).toFixed(2)}, fastest runs ${(Math.min(...node.bare) / Math.min(...py.bare)).toFixed(2)}); with per-round metric Node ${nodePredict.toFixed(1)} ms vs ` +
            `xgb.train+evals ${pyEvals.toFixed(1)} ms (ratio ${(nodePredict / pyEvals).toFixed(2)}); ` +
            `our metric +${((nodePredict / nodeBare - 1) * 100).toFixed(1)}% (${((nodePredict - nodeBare) / rounds).toFixed(3)} ms/round), ` +
            `EvalOneIter +${((nodeEval / nodeBare - 1) * 100).toFixed(1)}%; correct ${nodeCorrect}/${valid.rows} vs Python ${py.correct}`,
        )
      }
      results.push(row)
    }
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  const file = writeBenchResult('trainers-xgboost', {
    library: { path: found.path, source: found.source, version: lib.version.join('.') },
    python,
    params: { tree_method: 'hist', seed: 0, nthread, rounds, reps },
    split: 'stratified 80/20, seed 0 (scikit-learn train_test_split)',
    loadAverage: os.loadavg(),
    results,
  })
  console.log(`wrote ${file}`)
}
