// Runs in main: replays an Optuna JournalStorage file (JSON lines, one operation each) the way Optuna's
// JournalStorageReplayResult does, into the same shape as an RDB file. Operations a live Optuna would
// have refused (a change to a finished trial, a study that is gone) are skipped as it skips them.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Json } from '../../shared/trial.ts'
import {
  OPTUNA_STATES,
  OptunaImportError,
  optunaDateTime,
  parseOptunaDistribution,
  toExternalValue,
  type OptunaFile,
  type OptunaStudy,
  type OptunaTrial,
} from './optunaStudy.ts'

const OP = {
  createStudy: 0,
  deleteStudy: 1,
  setStudyUserAttr: 2,
  setStudySystemAttr: 3,
  createTrial: 4,
  setTrialParam: 5,
  setTrialStateValues: 6,
  setTrialIntermediateValue: 7,
  setTrialUserAttr: 8,
  setTrialSystemAttr: 9,
} as const

type Log = Record<string, unknown> & { op_code: number }

/** Python's json.dumps writes NaN, Infinity and -Infinity bare; JSON.parse does not read them. */
export function parsePythonJson(text: string): unknown {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      out += c
      if (c === '\\') out += text[++i] ?? ''
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') inString = true
    const rest = text.slice(i, i + 9)
    const token = rest.startsWith('NaN')
      ? 'NaN'
      : rest.startsWith('-Infinity')
        ? '-Infinity'
        : rest.startsWith('Infinity')
          ? 'Infinity'
          : null
    if (token) {
      out += `{"__py__":"${token}"}`
      i += token.length - 1
    } else out += c
  }
  return JSON.parse(out, (_k, v: unknown) =>
    v && typeof v === 'object' && '__py__' in v ? Number((v as { __py__: string }).__py__) : v,
  )
}

interface Replay {
  studies: Map<number, OptunaStudy>
  trials: OptunaTrial[]
  studyOfTrial: number[]
  nextStudyId: number
}

const isFinishedState = (t: OptunaTrial): boolean =>
  t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'FAIL'

const directionOf = (d: unknown): 'minimize' | 'maximize' => (d === 2 ? 'maximize' : 'minimize')
const stateOf = (s: unknown): OptunaTrial['state'] => {
  const state = OPTUNA_STATES[s as number]
  if (!state) throw new Error(`unknown trial state ${JSON.stringify(s)}`)
  return state
}

function createTrial(r: Replay, log: Log): void {
  const study = r.studies.get(log.study_id as number)
  if (!study) return
  const distributions = Object.fromEntries(
    Object.entries((log.distributions ?? {}) as Record<string, string>).map(([k, d]) => [
      k,
      parseOptunaDistribution(d),
    ]),
  )
  const params = Object.fromEntries(
    Object.entries((log.params ?? {}) as Record<string, number>).map(([k, v]) => [
      k,
      toExternalValue(distributions[k], v),
    ]),
  )
  const values =
    (log.values as number[] | null | undefined) ??
    (typeof log.value === 'number' ? [log.value] : null)
  const trial: OptunaTrial = {
    number: study.trials.length,
    state: log.state === undefined ? 'RUNNING' : stateOf(log.state),
    params,
    distributions,
    values,
    intermediate: Object.entries((log.intermediate_values ?? {}) as Record<string, number>).map(
      ([step, value]) => ({ step: Number(step), value: Number.isNaN(value) ? null : value }),
    ),
    userAttrs: (log.user_attrs ?? {}) as Record<string, Json>,
    systemAttrs: (log.system_attrs ?? {}) as Record<string, Json>,
    datetimeStart: optunaDateTime(log.datetime_start as string | null),
    datetimeComplete: optunaDateTime(log.datetime_complete as string | null),
  }
  study.trials.push(trial)
  r.trials.push(trial)
  r.studyOfTrial.push(log.study_id as number)
}

/** The trial a log changes, or null when Optuna would have ignored the change. */
function updatable(r: Replay, log: Log): OptunaTrial | null {
  const t = r.trials[log.trial_id as number]
  if (!t || isFinishedState(t) || !r.studies.has(r.studyOfTrial[log.trial_id as number]))
    return null
  return t
}

function applyTrialLog(r: Replay, log: Log): void {
  const t = updatable(r, log)
  if (!t) return
  switch (log.op_code) {
    case OP.setTrialParam: {
      const d = parseOptunaDistribution(log.distribution as string)
      t.distributions[log.param_name as string] = d
      t.params[log.param_name as string] = toExternalValue(d, log.param_value_internal as number)
      return
    }
    case OP.setTrialStateValues: {
      const state = stateOf(log.state)
      if (state === 'RUNNING' && t.state === 'RUNNING') return
      if (state === 'RUNNING') t.datetimeStart = optunaDateTime(log.datetime_start as string)
      t.state = state
      if (isFinishedState(t)) t.datetimeComplete = optunaDateTime(log.datetime_complete as string)
      if (log.values !== null && log.values !== undefined) t.values = log.values as number[]
      return
    }
    case OP.setTrialIntermediateValue: {
      const step = Number(log.step)
      const value = log.intermediate_value as number
      t.intermediate = [
        ...t.intermediate.filter((s) => s.step !== step),
        { step, value: Number.isNaN(value) ? null : value },
      ].sort((a, b) => a.step - b.step)
      return
    }
    case OP.setTrialUserAttr:
      Object.assign(t.userAttrs, log.user_attr as Record<string, Json>)
      return
    case OP.setTrialSystemAttr:
      Object.assign(t.systemAttrs, log.system_attr as Record<string, Json>)
  }
}

function apply(r: Replay, log: Log): void {
  switch (log.op_code) {
    case OP.createStudy: {
      const name = String(log.study_name)
      if ([...r.studies.values()].some((s) => s.name === name)) return
      r.studies.set(r.nextStudyId++, {
        name,
        directions: ((log.directions ?? []) as unknown[]).map(directionOf),
        userAttrs: {},
        trials: [],
      })
      return
    }
    case OP.deleteStudy:
      r.studies.delete(log.study_id as number)
      return
    case OP.setStudyUserAttr:
      Object.assign(r.studies.get(log.study_id as number)?.userAttrs ?? {}, log.user_attr)
      return
    case OP.setStudySystemAttr:
      return
    case OP.createTrial:
      return createTrial(r, log)
    default:
      if (log.op_code >= OP.setTrialParam && log.op_code <= OP.setTrialSystemAttr)
        return applyTrialLog(r, log)
      throw new Error(`unknown op_code ${log.op_code}`)
  }
}

/** Reads every study of an Optuna JournalStorage file (JournalFileStorage). */
export function readOptunaJournal(file: string, text = readFileSync(file, 'utf8')): OptunaFile {
  const r: Replay = { studies: new Map(), trials: [], studyOfTrial: [], nextStudyId: 0 }
  const lines = text.split('\n')
  lines.forEach((line, i) => {
    if (!line.trim()) return
    const where = `${path.basename(file)} line ${i + 1}`
    let log: Log
    try {
      log = parsePythonJson(line) as Log
    } catch (e) {
      // Optuna skips a torn last line (a writer killed mid-write); anywhere else it is not a journal.
      if (i >= lines.length - 2) return
      throw new OptunaImportError('NOT_OPTUNA', `${where} is not JSON: ${(e as Error).message}`)
    }
    if (typeof log !== 'object' || log === null || typeof log.op_code !== 'number')
      throw new OptunaImportError(
        'NOT_OPTUNA',
        `${where} is not an Optuna journal operation (no "op_code")`,
      )
    try {
      apply(r, log)
    } catch (e) {
      throw new OptunaImportError('UNMAPPABLE', `${where}: ${(e as Error).message}`)
    }
  })
  return {
    path: file,
    format: 'journal',
    schema: 'journal',
    libraryVersion: null,
    studies: [...r.studies.values()],
  }
}
