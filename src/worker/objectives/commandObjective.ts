// Runs in a trial worker: any program as an objective (study-file.md, `command`). The config goes in on stdin
// and in $HPO_CONFIG; JSON lines on stdout report values; the program runs in its own process group so a
// cancel, prune or stop ends everything it started.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../shared/jsonDepth.ts'
import type { ObjectiveSpec } from '../../shared/objectiveSpec.ts'
import type { Objective, ObjectiveContext } from '../../shared/objective.ts'
import type { Json } from '../../shared/trial.ts'
import { COMMAND_KILL_GRACE_MS } from '../../shared/workerProtocol.ts'
import { killMarkedProcesses } from './killMarkedProcesses.ts'

export interface CommandOptions {
  /** Seconds before the command is killed and the trial fails (objective's own limit, else the study's). */
  timeoutSeconds: number | null
  /** Told the process group id as soon as the command starts, so main can kill it if it must kill this worker. */
  onProcessGroup?: (pgid: number) => void
}

type Line =
  | { kind: 'final'; value: number; extra: Record<string, Json> }
  | { kind: 'step'; step: number; value: number }
  | { kind: 'bad'; reason: string }
  | { kind: 'log' }

/** Reads one stdout line: a value report, a malformed report, or a plain log line. */
export function parseOutputLine(line: string): Line {
  const text = line.trim()
  if (!text.startsWith('{')) return { kind: 'log' }
  let obj: Record<string, unknown>
  try {
    obj = JSON.parse(text)
  } catch {
    // Python's json.dumps writes NaN and Infinity, which are not JSON; they are bad values, not log lines.
    const m = /"value"\s*:\s*(-?Infinity|NaN)/.exec(text)
    return m ? { kind: 'bad', reason: `reported value ${m[1]}` } : { kind: 'log' }
  }
  if (typeof obj !== 'object' || obj === null || !('value' in obj)) return { kind: 'log' }
  // sent to main and stored: cloning or printing deeper data overflows the stack
  if (nestsDeeperThan(obj))
    return { kind: 'bad', reason: `reported a line nested deeper than ${MAX_JSON_DEPTH} levels` }
  const value = obj.value
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    // JSON.parse reads 1e400 as Infinity; the message shows what the program printed
    const written = typeof value === 'number' && /"value"\s*:\s*(-?[\d.]+[eE][+-]?\d+)/.exec(text)
    return {
      kind: 'bad',
      reason: written
        ? `reported value ${written[1]}, beyond the range of a double (a finite number is required)`
        : `reported value ${JSON.stringify(value)} (a finite number is required)`,
    }
  }
  if ('step' in obj) {
    const step = obj.step
    if (typeof step !== 'number' || !Number.isFinite(step))
      return { kind: 'bad', reason: `reported step ${JSON.stringify(step)} (a number is required)` }
    return { kind: 'step', step, value }
  }
  const { value: _v, ...extra } = obj
  return { kind: 'final', value, extra: extra as Record<string, Json> }
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

const startError = (run: readonly string[], e: NodeJS.ErrnoException): string =>
  e.code === 'E2BIG'
    ? `the command line is too long for the system (${commandBytes(run)} bytes)`
    : `could not start ${JSON.stringify(run[0])}: ${e.message}`

/** Writes the config file and spawns the program in its own process group; throws with the reason it cannot. */
function startCommand(
  spec: Extract<ObjectiveSpec, { kind: 'command' }>,
  params: Record<string, Json>,
  ctx: ObjectiveContext,
): ChildProcessWithoutNullStreams {
  mkdirSync(ctx.trialDir, { recursive: true })
  const cwd = spec.cwd ?? ctx.trialDir
  if (!isFolder(cwd)) throw new Error(`the working folder ${cwd} (objective.cwd) does not exist`)
  const configFile = path.join(ctx.trialDir, 'config.json')
  writeFileSync(configFile, JSON.stringify(params))
  try {
    return spawn(spec.run[0], spec.run.slice(1), {
      cwd,
      env: {
        ...process.env,
        ...spec.env,
        HPO_CONFIG: configFile,
        // also the marker that finds what the trial started (killMarkedProcesses)
        HPO_TRIAL_DIR: ctx.trialDir,
        HPO_TRIAL_NUMBER: String(ctx.trialNumber),
        HPO_SEED: String(ctx.seed),
      },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
  } catch (e) {
    // some failures (E2BIG) are thrown at once instead of emitted
    throw new Error(startError(spec.run, e as NodeJS.ErrnoException), { cause: e })
  }
}

export function createCommandObjective(
  spec: Extract<ObjectiveSpec, { kind: 'command' }>,
  options: CommandOptions,
): Objective {
  return {
    run(params, ctx) {
      return new Promise((resolve, reject) => {
        let child: ChildProcessWithoutNullStreams
        try {
          child = startCommand(spec, params, ctx)
        } catch (e) {
          return reject(e)
        }
        let final: { value: number; extra: Record<string, Json> } | null = null
        let failure: string | null = null
        let stopReason: 'abort' | 'timeout' | null = null
        let killTimer: NodeJS.Timeout | undefined
        const stderrTail: string[] = []

        const terminate = (why: 'abort' | 'timeout'): void => {
          if (stopReason || child.pid === undefined) return
          stopReason = why
          killGroup(child.pid, 'SIGTERM')
          killTimer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), COMMAND_KILL_GRACE_MS)
        }
        const timeout = options.timeoutSeconds
          ? setTimeout(() => terminate('timeout'), options.timeoutSeconds * 1000)
          : undefined
        const onAbort = (): void => terminate('abort')
        ctx.signal.addEventListener('abort', onAbort)

        child.on('error', (e: NodeJS.ErrnoException) => {
          failure = startError(spec.run, e)
          if (child.pid === undefined) {
            clearTimeout(timeout)
            ctx.signal.removeEventListener('abort', onAbort)
            reject(new Error(failure))
          }
        })
        if (child.pid !== undefined) options.onProcessGroup?.(child.pid)
        child.stdin.on('error', () => {}) // a program that never reads stdin closes the pipe early
        child.stdin.end(JSON.stringify(params))

        const stdoutDone = new Promise<void>((done) => {
          const rl = createInterface({ input: child.stdout })
          rl.on('line', (line) => {
            const parsed = parseOutputLine(line)
            if (parsed.kind === 'log') ctx.log(line, 'stdout')
            else if (parsed.kind === 'bad') {
              failure ??= `the command ${parsed.reason}`
              ctx.log(line, 'stdout')
            } else if (parsed.kind === 'step') {
              if (!stopReason) ctx.report(parsed.step, parsed.value)
            } else final = { value: parsed.value, extra: parsed.extra }
          })
          rl.on('close', done)
        })
        const stderrDone = new Promise<void>((done) => {
          const rl = createInterface({ input: child.stderr })
          rl.on('line', (line) => {
            ctx.log(line, 'stderr')
            stderrTail.push(line)
            if (stderrTail.length > 5) stderrTail.shift()
          })
          rl.on('close', done)
        })

        child.on('close', async (code, signal) => {
          await Promise.all([stdoutDone, stderrDone])
          clearTimeout(timeout)
          clearTimeout(killTimer)
          ctx.signal.removeEventListener('abort', onAbort)
          // Whatever the leader did, nothing it started may outlive the trial: its group, and daemons.
          if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL')
          killMarkedProcesses(`HPO_TRIAL_DIR=${ctx.trialDir}`)
          const tail = stderrTail.length ? `; stderr: ${stderrTail.join(' | ')}` : ''
          if (stopReason === 'abort')
            return reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }))
          if (stopReason === 'timeout')
            return reject(
              new Error(
                `the command exceeded its time limit of ${options.timeoutSeconds} s and was killed`,
              ),
            )
          if (failure) return reject(new Error(failure))
          if (code !== 0)
            return reject(
              new Error(
                `the command ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${tail}`,
              ),
            )
          if (!final)
            return reject(
              new Error(`the command printed no final {"value": …} line on standard output${tail}`),
            )
          resolve({ value: final.value, userAttrs: final.extra, backend: 'command' })
        })
      })
    },
  }
}
