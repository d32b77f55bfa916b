// Runs in a trial worker: any program as an objective (study-file.md, `command`). The config goes in on stdin
// and in $HPO_CONFIG; JSON lines on stdout report values; the program runs in its own process group so a
// cancel, prune or stop ends everything it started. The Python client (`import hpo_studio`) talks through
// $HPO_CHANNEL instead of stdout and learns that it was pruned from $HPO_PRUNE_FILE.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../shared/jsonDepth.ts'
import type { ObjectiveSpec } from '../../shared/objectiveSpec.ts'
import type { Objective, ObjectiveContext } from '../../shared/objective.ts'
import { searchSpaceToRaw, type Config, type SearchSpace } from '../../shared/searchSpace.ts'
import type { Json } from '../../shared/trial.ts'
import { COMMAND_KILL_GRACE_MS } from '../../shared/workerProtocol.ts'
import { tailChannel, type ClientMessage } from './clientChannel.ts'
import { killMarkedProcesses } from './killMarkedProcesses.ts'

/** The Python client shipped with this build: first on a command's PYTHONPATH, so `import hpo_studio` works. */
export const PYTHON_CLIENT_DIR = fileURLToPath(new URL('../../../clients/python', import.meta.url))

type CommandSpec = Extract<ObjectiveSpec, { kind: 'command' }>

export interface CommandOptions {
  /** Seconds before the command is killed and the trial fails (objective's own limit, else the study's). */
  timeoutSeconds: number | null
  /** Told the process group id as soon as the command starts, so main can kill it if it must kill this worker. */
  onProcessGroup?: (pgid: number) => void
  /** The study's space: written to $HPO_SPACE so the client gives each parameter its type. */
  space?: SearchSpace
}

type Line =
  | {
      kind: 'final'
      value: number
      values?: unknown
      constraints?: unknown
      extra: Record<string, Json>
    }
  | { kind: 'step'; step: number; value: number }
  | { kind: 'bad'; reason: string }
  | { kind: 'log' }

const NON_JSON_NUMBER = /(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g

/**
 * JSON, or the JSON Python's json.dumps writes with NaN and ±Infinity in it: those become numbers
 * again, so the report says which value was not finite.
 */
function parseReport(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text)
  } catch {
    try {
      const marked = text.replace(NON_JSON_NUMBER, '"__hpo_$1__"')
      return JSON.parse(marked, (_k, v) =>
        typeof v === 'string' && /^__hpo_(-?Infinity|NaN)__$/.test(v) ? Number(v.slice(6, -2)) : v,
      )
    } catch {
      return null
    }
  }
}

/** A report of several objectives: `{"values": …}` (with `value` optional). */
function valuesReport(obj: Record<string, unknown>): Line {
  const { value, values, constraints, ...extra } = obj
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value)))
    return {
      kind: 'bad',
      reason: `reported value ${JSON.stringify(value) ?? String(value)} (a finite number is required)`,
    }
  return {
    kind: 'final',
    value: typeof value === 'number' ? value : NaN,
    values,
    constraints,
    extra: extra as Record<string, Json>,
  }
}

/** Reads one stdout line: a value report, a malformed report, or a plain log line. */
export function parseOutputLine(line: string): Line {
  const text = line.trim()
  if (!text.startsWith('{')) return { kind: 'log' }
  const obj = parseReport(text)
  if (typeof obj !== 'object' || obj === null) return { kind: 'log' }
  if (!('value' in obj) && !('values' in obj)) return { kind: 'log' }
  // sent to main and stored: cloning or printing deeper data overflows the stack
  if (nestsDeeperThan(obj))
    return { kind: 'bad', reason: `reported a line nested deeper than ${MAX_JSON_DEPTH} levels` }
  if ('values' in obj && !('step' in obj)) return valuesReport(obj)
  const value = obj.value
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    // JSON.parse reads 1e400 as Infinity; the message shows what the program printed
    const written = typeof value === 'number' && /"value"\s*:\s*(-?[\d.]+[eE][+-]?\d+)/.exec(text)
    return {
      kind: 'bad',
      reason: written
        ? `reported value ${written[1]}, beyond the range of a double (a finite number is required)`
        : typeof value === 'number'
          ? `reported value ${value}`
          : `reported value ${JSON.stringify(value)} (a finite number is required)`,
    }
  }
  if ('step' in obj) {
    const step = obj.step
    if (typeof step !== 'number' || !Number.isFinite(step))
      return { kind: 'bad', reason: `reported step ${JSON.stringify(step)} (a number is required)` }
    return { kind: 'step', step, value }
  }
  const { value: _v, constraints, ...extra } = obj
  return { kind: 'final', value, constraints, extra: extra as Record<string, Json> }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

const commandBytes = (run: readonly string[]): number =>
  run.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0)

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // already gone
  }
}

/** Where the client and the runner meet, in the trial's folder. */
const hpoDir = (trialDir: string): string => path.join(trialDir, '.hpo')

/**
 * The pruner has decided on the report at `step` (written after the prune file when it prunes): the
 * client's should_prune() waits for this, so it answers for the step just reported, as Optuna's does.
 */
export function recordPruneCheck(trialDir: string, step: number, prune: boolean): void {
  const file = path.join(hpoDir(trialDir), 'checked')
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify({ step, prune }))
    renameSync(`${file}.tmp`, file)
  } catch {
    // the trial's folder is gone: the trial is over
  }
}

/** The files a trial's program is given, written fresh (a re-run starts with no prune mark). */
function trialFiles(ctx: ObjectiveContext, params: Config, space: SearchSpace | undefined) {
  const dir = hpoDir(ctx.trialDir)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const config = path.join(ctx.trialDir, 'config.json')
  writeFileSync(config, JSON.stringify(params))
  const env: Record<string, string> = {
    HPO_CONFIG: config,
    HPO_TRIAL_DIR: ctx.trialDir,
    HPO_TRIAL_NUMBER: String(ctx.trialNumber),
    HPO_SEED: String(ctx.seed),
    HPO_CHANNEL: path.join(dir, 'channel.jsonl'),
    HPO_PRUNE_FILE: path.join(dir, 'pruned'),
    HPO_PRUNE_CHECKED: path.join(dir, 'checked'),
  }
  if (space) {
    env.HPO_SPACE = path.join(dir, 'space.json')
    writeFileSync(env.HPO_SPACE, JSON.stringify(searchSpaceToRaw(space)))
  }
  return { env, configJson: JSON.stringify(params) }
}

/** The program's environment: the study file's env over ours, the trial's files, the client importable. */
function commandEnv(spec: CommandSpec, trialEnv: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, ...trialEnv }
  if (existsSync(path.join(PYTHON_CLIENT_DIR, 'hpo_studio')))
    env.PYTHONPATH = [PYTHON_CLIENT_DIR, env.PYTHONPATH].filter(Boolean).join(path.delimiter)
  return env
}

/** Lines of a stream to a callback; resolves when the stream closes. */
function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  return new Promise((done) => {
    const rl = createInterface({ input: stream })
    rl.on('line', onLine)
    rl.on('close', done)
  })
}

interface Run {
  child: ChildProcess
  final: Omit<Extract<Line, { kind: 'final' }>, 'kind'> | null
  failure: string | null
  stopReason: 'abort' | 'timeout' | null
  /** The client polls should_prune(): a prune is told through the prune file first. */
  cooperative: boolean
  pruneAsked: boolean
}

function onClientMessage(run: Run, ctx: ObjectiveContext, m: ClientMessage): void {
  if (m.t === 'report') {
    if (!run.stopReason) ctx.report(m.step, m.value)
  } else if (m.t === 'attr') ctx.attr(m.key, m.value as Json)
  else if (m.t === 'result') run.final = { value: m.value, extra: {} }
  else if (m.t === 'artifact')
    ctx.log(`[hpo-studio] kept artifacts/${m.name} (${m.bytes} bytes) with the trial`, 'stderr')
  else run.cooperative = true
}

function outcomeError(
  run: Run,
  code: number | null,
  signal: string | null,
  tail: string,
  o: CommandOptions,
): Error | null {
  if (run.stopReason === 'abort' || run.pruneAsked)
    return Object.assign(new Error('cancelled'), { name: 'AbortError' })
  if (run.stopReason === 'timeout')
    return new Error(`the command exceeded its time limit of ${o.timeoutSeconds} s and was killed`)
  if (run.failure) return new Error(run.failure)
  if (code !== 0)
    return new Error(
      `the command ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${tail}`,
    )
  if (!run.final)
    return new Error(
      `the command printed no final {"value": …} or {"values": …} line on standard output and called no hs.result()${tail}`,
    )
  return null
}

const startError = (run: readonly string[], e: NodeJS.ErrnoException): string =>
  e.code === 'E2BIG'
    ? `the command line is too long for the system (${commandBytes(run)} bytes)`
    : `could not start ${JSON.stringify(run[0])}: ${e.message}`

/** Writes the trial's files and spawns the program in its own process group; throws with the reason it cannot. */
function startCommand(
  spec: CommandSpec,
  params: Config,
  ctx: ObjectiveContext,
  space: SearchSpace | undefined,
): { child: ChildProcess; env: Record<string, string>; configJson: string } {
  mkdirSync(ctx.trialDir, { recursive: true })
  const cwd = spec.cwd ?? ctx.trialDir
  if (!isFolder(cwd)) throw new Error(`the working folder ${cwd} (objective.cwd) does not exist`)
  // HPO_TRIAL_DIR is also the marker that finds what the trial started (killMarkedProcesses)
  const { env, configJson } = trialFiles(ctx, params, space)
  try {
    const child = spawn(spec.run[0], spec.run.slice(1), {
      cwd,
      env: commandEnv(spec, env),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    return { child, env, configJson }
  } catch (e) {
    // some failures (E2BIG) are thrown at once instead of emitted
    throw new Error(startError(spec.run, e as NodeJS.ErrnoException), { cause: e })
  }
}

export function createCommandObjective(spec: CommandSpec, options: CommandOptions): Objective {
  return {
    run(params, ctx) {
      return new Promise((resolve, reject) => {
        let started: ReturnType<typeof startCommand>
        try {
          started = startCommand(spec, params, ctx, options.space)
        } catch (e) {
          return reject(e)
        }
        const { child, env, configJson } = started
        const run: Run = {
          child,
          final: null,
          failure: null,
          stopReason: null,
          cooperative: false,
          pruneAsked: false,
        }
        let killTimer: NodeJS.Timeout | undefined
        let graceTimer: NodeJS.Timeout | undefined
        const stderrTail: string[] = []

        const terminate = (why: 'abort' | 'timeout'): void => {
          if (run.stopReason || child.pid === undefined) return
          run.stopReason = why
          killGroup(child.pid, 'SIGTERM')
          killTimer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), COMMAND_KILL_GRACE_MS)
        }
        const timeout = options.timeoutSeconds
          ? setTimeout(() => terminate('timeout'), options.timeoutSeconds * 1000)
          : undefined
        const channel = tailChannel(
          env.HPO_CHANNEL,
          (m) => onClientMessage(run, ctx, m),
          (line, reason) => {
            run.failure ??= `the client sent a bad message (${reason}): ${line.slice(0, 200)}`
          },
        )
        const onAbort = (): void => {
          const pruned = (ctx.signal.reason as Error | undefined)?.message === 'pruned'
          channel.poll()
          if (!pruned || !run.cooperative || spec.pruneGraceSeconds === 0) return terminate('abort')
          // The program asks should_prune() itself: tell it, and end it only if it does not stop in time.
          run.pruneAsked = true
          writeFileSync(env.HPO_PRUNE_FILE, 'pruned\n')
          graceTimer = setTimeout(() => terminate('abort'), spec.pruneGraceSeconds * 1000)
        }
        ctx.signal.addEventListener('abort', onAbort)

        child.on('error', (e: NodeJS.ErrnoException) => {
          run.failure = startError(spec.run, e)
          if (child.pid === undefined) {
            clearTimeout(timeout)
            channel.stop()
            ctx.signal.removeEventListener('abort', onAbort)
            reject(new Error(run.failure))
          }
        })
        if (child.pid !== undefined) options.onProcessGroup?.(child.pid)
        child.stdin!.on('error', () => {}) // a program that never reads stdin closes the pipe early
        child.stdin!.end(configJson)

        const stdoutDone = eachLine(child.stdout!, (line) => {
          const parsed = parseOutputLine(line)
          if (parsed.kind === 'log') ctx.log(line, 'stdout')
          else if (parsed.kind === 'bad') {
            run.failure ??= `the command ${parsed.reason}`
            ctx.log(line, 'stdout')
          } else if (parsed.kind === 'step') {
            if (!run.stopReason) ctx.report(parsed.step, parsed.value)
          } else run.final = parsed
        })
        const stderrDone = eachLine(child.stderr!, (line) => {
          ctx.log(line, 'stderr')
          stderrTail.push(line)
          if (stderrTail.length > 5) stderrTail.shift()
        })

        child.on('close', async (code, signal) => {
          await Promise.all([stdoutDone, stderrDone])
          channel.stop()
          clearTimeout(timeout)
          clearTimeout(killTimer)
          clearTimeout(graceTimer)
          ctx.signal.removeEventListener('abort', onAbort)
          // Whatever the leader did, nothing it started may outlive the trial: its group, and daemons.
          if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL')
          killMarkedProcesses(`HPO_TRIAL_DIR=${ctx.trialDir}`)
          const tail = stderrTail.length ? `; stderr: ${stderrTail.join(' | ')}` : ''
          const error = outcomeError(run, code, signal, tail, options)
          if (error) return reject(error)
          const final = run.final!
          resolve({
            value: final.value,
            ...(final.values !== undefined
              ? { values: final.values as Record<string, number> | number[] }
              : {}),
            ...(final.constraints !== undefined
              ? { constraints: final.constraints as Record<string, number> }
              : {}),
            userAttrs: final.extra,
            backend: 'command',
          })
        })
      })
    },
  }
}
