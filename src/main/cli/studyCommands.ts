// Runs in the CLI: the commands that read or change a study without running it.
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { validateConfig } from '../../shared/spaceCodec.ts'
import type { Config } from '../../shared/searchSpace.ts'
import type { StudyRecord } from '../../shared/study.ts'
import type { Json } from '../../shared/trial.ts'
import { isWaiting, waitingLabel } from '../../shared/trialPlacement.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { settingError } from '../api/settingRules.ts'
import { loadStudyFile } from '../files/studyFile.ts'
import { CliError, EXIT, printJson } from './cliOutput.ts'
import { frontNumbers, goalsText, trialGoalsJson, trialGoalsText } from './showFront.ts'
import { readImportRows } from './importRows.ts'

export function requireStudy(store: StudyStore, name: string): StudyRecord {
  const study = store.getStudy(name)
  if (!study) {
    const names = store.listStudies().map((s) => s.name)
    throw new CliError(
      EXIT.badInput,
      `no study named "${name}" in ${store.path}${names.length ? ` (studies: ${names.join(', ')})` : ' (it has no studies)'}`,
    )
  }
  return study
}

const fmt = (v: number | null | undefined): string =>
  v === null || v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toPrecision(6)

export function listCommand(store: StudyStore, json: boolean): void {
  store.recoverStaleTrials()
  const studies = store.listStudies()
  if (json) return printJson(studies)
  if (!studies.length) {
    console.log(`no studies in ${store.path}; start one with: hpo-studio run examples/branin.yaml`)
    return
  }
  const rows = studies.map((s) => [
    s.name,
    s.state,
    `${s.trialsDone}/${s.budgetTrials}`,
    fmt(s.bestValue),
    s.tunerKind,
    s.objectiveKind,
  ])
  const header = ['name', 'state', 'trials', 'best', 'tuner', 'objective']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '))
}

export function showCommand(store: StudyStore, name: string, json: boolean): void {
  store.recoverStaleTrials()
  const study = requireStudy(store, name)
  const summary = store.listStudies().find((s) => s.id === study.id)!
  const trials = store.listTrials(study.id)
  const several = study.spec.objectives !== undefined
  const front = several ? frontNumbers(study, trials) : []
  const best =
    several || summary.bestTrialNumber === null
      ? null
      : trials.find((t) => t.number === summary.bestTrialNumber)!
  if (json) {
    return printJson({
      name: study.name,
      state: study.state,
      direction: study.spec.direction,
      metric: study.spec.metric,
      ...(study.spec.objectives ? { objectives: study.spec.objectives } : {}),
      ...(study.spec.constraints ? { constraints: study.spec.constraints } : {}),
      seed: study.seed,
      best: best && { number: best.number, value: best.value, params: best.params },
      ...(several ? { paretoFront: front } : {}),
      trials: trials.map((t) => ({
        number: t.number,
        state: t.state,
        params: t.params,
        value: t.value,
        ...trialGoalsJson(study, t),
        error: t.error,
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
        placement: t.placement,
      })),
    })
  }
  console.log(
    `${study.name}: ${study.state}, ${summary.trialsDone}/${summary.budgetTrials} trials, ${goalsText(study.spec)}, tuner ${study.spec.tuner.kind}, seed ${study.seed}`,
  )
  if (study.error) console.log(`error: ${study.error}`)
  for (const t of trials) {
    const state = (isWaiting(t) && waitingLabel(t.placement)) || t.state
    const job = t.placement?.jobId
      ? `  [Slurm job ${t.placement.jobId}${t.placement.node ? ` on ${t.placement.node}` : ''}]`
      : ''
    console.log(
      `  #${t.number} ${state.padEnd(11)} ${fmt(t.value).padEnd(12)} ${JSON.stringify(t.params)}${trialGoalsText(study, t) ? `  ${trialGoalsText(study, t)}` : ''}${t.error ? `  (${t.error})` : ''}${job}`,
    )
  }
  if (several) {
    console.log(`Pareto front: ${front.length} trial${front.length === 1 ? '' : 's'}`)
    for (const n of front) {
      const t = trials.find((x) => x.number === n)!
      console.log(`  #${n} ${trialGoalsText(study, t)}  ${JSON.stringify(t.params)}`)
    }
  }
  if (best)
    console.log(
      `best${study.spec.constraints ? ' feasible' : ''}: trial ${best.number}, ${study.spec.metric} = ${best.value}\n  ${JSON.stringify(best.params)}`,
    )
}

export function validateCommand(file: string, json: boolean): number {
  const parsed = loadStudyFile(file)
  if (json)
    printJson(parsed.ok ? { ok: true, spec: parsed.value } : { ok: false, errors: parsed.errors })
  else if (parsed.ok) {
    const s = parsed.value
    console.log(
      `${file}: ok — "${s.name}", ${goalsText(s)}, ${s.objective.kind} objective, ${s.space.params.length} parameters (${s.space.params.map((p) => p.name).join(', ')}), tuner ${s.tuner.kind}, pruner ${s.pruner.kind}, budget ${s.budget.trials} trials`,
    )
  } else for (const e of parsed.errors) console.error(e.message)
  return parsed.ok ? EXIT.ok : EXIT.badInput
}

function checkedParams(study: StudyRecord, params: unknown, where: string): Config {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new CliError(EXIT.badInput, `${where}: params must be a JSON object of parameter values`)
  const errors = validateConfig(study.spec.space, params as Record<string, unknown>)
  if (errors.length)
    throw new CliError(EXIT.badInput, errors.map((e) => `${where}: ${e.message}`).join('\n'))
  return params as Config
}

/** When a trial queued now will run: next in a live run, at the next run, or once the budget is raised. */
function whenQueuedRuns(store: StudyStore, study: StudyRecord): string {
  const summary = store.listStudies().find((s) => s.id === study.id)!
  const queued = store.listTrials(study.id, ['queued', 'interrupted']).length
  const needed = summary.trialsDone + summary.trialsRunning + queued
  if (needed > summary.budgetTrials)
    return `the study has used its budget (${summary.trialsDone}/${summary.budgetTrials} trials), so it runs when you resume with a larger one: hpo-studio resume ${study.name} --trials ${needed}`
  const lease = store.getLease(study.id)
  return lease && !lease.stale
    ? `it runs next in the run of process ${lease.pid}, before the tuner's own proposals`
    : `it runs first when the study runs again: hpo-studio resume ${study.name}`
}

export function enqueueCommand(
  store: StudyStore,
  name: string,
  paramsJson: string,
  json: boolean,
): void {
  const study = requireStudy(store, name)
  let params: unknown
  try {
    params = JSON.parse(paramsJson)
  } catch (e) {
    throw new CliError(EXIT.badInput, `--params is not valid JSON: ${(e as Error).message}`)
  }
  const trial = store.createTrial(study.id, {
    state: 'queued',
    params: checkedParams(study, params, '--params'),
  })
  const when = whenQueuedRuns(store, study)
  if (json)
    printJson({ number: trial.number, state: trial.state, params: trial.params, runs: when })
  else console.log(`queued trial ${trial.number} of "${study.name}"; ${when}`)
}

const MAX_ERRORS_SHOWN = 20

export function importCommand(store: StudyStore, name: string, file: string, json: boolean): void {
  const study = requireStudy(store, name)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new CliError(EXIT.badInput, `cannot read ${file}: ${(e as Error).message}`)
  }
  const read = readImportRows(file, text, study.spec.space)
  if (!read.ok) {
    const more = read.errors.length - MAX_ERRORS_SHOWN
    throw new CliError(
      EXIT.badInput,
      [
        ...read.errors.slice(0, MAX_ERRORS_SHOWN),
        ...(more > 0 ? [`… and ${more} more errors`] : []),
        `nothing was imported from ${file}`,
      ].join('\n'),
    )
  }
  const added = store.importTrials(study.id, read.rows)
  if (json) printJson({ imported: added.length, numbers: added.map((t) => t.number) })
  else
    console.log(
      `imported ${added.length} complete trials into "${study.name}"; every tuner learns from them on the next run`,
    )
}

export function requestCommand(store: StudyStore, name: string, action: 'pause' | 'stop'): number {
  const study = requireStudy(store, name)
  const lease = store.getLease(study.id)
  if (!lease || lease.stale) {
    console.log(`study "${study.name}" is not running (state ${study.state}); nothing to ${action}`)
    return EXIT.ok
  }
  store.requestControl(study.id, action, `hpo-studio ${action} (pid ${process.pid})`)
  console.log(
    `asked process ${lease.pid} on ${lease.host} to ${action} "${study.name}"; it reads the request within a few seconds`,
  )
  return EXIT.ok
}

export async function deleteCommand(
  store: StudyStore,
  name: string,
  yes: boolean,
): Promise<number> {
  const study = requireStudy(store, name)
  const lease = store.getLease(study.id)
  if (lease && !lease.stale)
    throw new CliError(
      EXIT.badInput,
      `study "${study.name}" is running in process ${lease.pid} on ${lease.host}; stop it first (hpo-studio stop ${study.name})`,
    )
  if (!yes) {
    if (!process.stdin.isTTY)
      throw new CliError(EXIT.badInput, `deleting "${study.name}" needs confirmation: pass --yes`)
    const rl = createInterface({ input: process.stdin, output: process.stdout })
    const answer = await rl.question(
      `delete study "${study.name}" and its ${store.listTrials(study.id).length} trials? type the name to confirm: `,
    )
    rl.close()
    if (answer.trim() !== study.name) {
      console.log('not deleted')
      return EXIT.badInput
    }
  }
  store.deleteStudy(study.id)
  console.log(`deleted "${study.name}"`)
  return EXIT.ok
}

export function configCommand(
  store: StudyStore,
  action: string,
  key: string | undefined,
  value: string | undefined,
  json: boolean,
): void {
  if (action === 'get') {
    if (!key)
      return json
        ? printJson(store.listSettings())
        : Object.entries(store.listSettings()).forEach(([k, v]) =>
            console.log(`${k} = ${JSON.stringify(v)}`),
          )
    const v = store.getSetting(key)
    return json
      ? printJson(v ?? null)
      : console.log(
          v === undefined ? `${key} is not set` : typeof v === 'string' ? v : JSON.stringify(v),
        )
  }
  if (action === 'set') {
    if (!key || value === undefined)
      throw new CliError(EXIT.badInput, 'usage: hpo-studio config set KEY VALUE')
    let parsed: Json
    try {
      parsed = JSON.parse(value)
    } catch {
      parsed = value
    }
    const error = settingError(key, parsed)
    if (error) throw new CliError(EXIT.badInput, error)
    store.setSetting(key, parsed)
    if (!json) console.log(`${key} = ${JSON.stringify(parsed)}`)
    return
  }
  throw new CliError(EXIT.badInput, `config takes get or set, got "${action}"`)
}
