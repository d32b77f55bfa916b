// Runs in the CLI: a progress bar on a terminal (trials done / budget, best value, ETA), plain lines otherwise,
// nothing with --json.
import cliProgress from 'cli-progress'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import { waitingLabel, type TrialPlacement } from '../../shared/trialPlacement.ts'

export interface ProgressReporter {
  onEvent(event: StudyEvent): void
  stop(): void
}

const fmt = (v: number | null): string =>
  v === null ? '-' : Number.isInteger(v) ? String(v) : v.toPrecision(6)

/** "trial 3 pending (Resources) in Slurm's queue, job 12", "trial 3 running on n1, job 12". */
function placementLine(trialNumber: number, p: TrialPlacement): string {
  const job = p.jobId ? `, job ${p.jobId}` : ''
  const waiting = waitingLabel(p)
  return waiting
    ? `trial ${trialNumber} ${waiting} in Slurm's queue${job}`
    : `trial ${trialNumber} running on ${p.node ?? 'a node'}${job}`
}

/** Trials waiting in an executor's queue, from the events. */
function waitingTrials(): { onEvent(e: StudyEvent): void; readonly count: number } {
  const waiting = new Set<number>()
  return {
    onEvent(e) {
      if (e.type === 'trial-placement' && waitingLabel(e.placement)) waiting.add(e.trialNumber)
      else if (e.type === 'trial-placement' || e.type === 'trial-finished')
        waiting.delete(e.trialNumber)
    },
    get count() {
      return waiting.size
    },
  }
}

export function createProgressReporter(o: {
  mode: 'bar' | 'lines' | 'silent'
  done: number
  total: number
  best: number | null
  out?: NodeJS.WritableStream
}): ProgressReporter {
  const out = o.out ?? process.stdout
  let done = o.done
  let best = o.best
  if (o.mode === 'silent') return { onEvent: () => {}, stop: () => {} }
  if (o.mode === 'lines') {
    return {
      onEvent(e) {
        if (e.type === 'trial-finished') {
          if (e.state !== 'interrupted') done++
          if (e.isBest) best = e.value
          const what =
            e.state === 'complete' || e.state === 'pruned'
              ? `value=${fmt(e.value)}`
              : (e.error ?? '')
          out.write(
            `trial ${e.trialNumber} ${e.state} ${what} | ${done}/${o.total} done, best ${fmt(best)}\n`,
          )
        } else if (e.type === 'study-state')
          out.write(`study ${e.state}${e.error ? `: ${e.error}` : ''}\n`)
        else if (e.type === 'warning') out.write(`warning: ${e.message}\n`)
        else if (
          e.type === 'trial-placement' &&
          (e.placement.node || e.placement.queue === 'pending')
        )
          out.write(`${placementLine(e.trialNumber, e.placement)}\n`)
      },
      stop() {},
    }
  }
  const multi = new cliProgress.MultiBar(
    {
      format:
        '{bar} {value}/{total} trials | best {best} | running {running}{queue} | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 20,
      stream: out as NodeJS.WriteStream,
    },
    cliProgress.Presets.shades_classic,
  )
  let running = 0
  const waiting = waitingTrials()
  const queue = (): string => (waiting.count ? ` (${waiting.count} pending in Slurm's queue)` : '')
  const bar = multi.create(o.total, done, { best: fmt(best), running, queue: queue() })
  return {
    onEvent(e) {
      waiting.onEvent(e)
      if (e.type === 'trial-started') running++
      if (e.type === 'trial-finished') {
        running = Math.max(0, running - 1)
        if (e.state !== 'interrupted') done++
        if (e.isBest) best = e.value
        if (e.state === 'failed') multi.log(`trial ${e.trialNumber} failed: ${e.error}\n`)
      }
      if (e.type === 'warning') multi.log(`warning: ${e.message}\n`)
      bar.update(Math.min(done, o.total), { best: fmt(best), running, queue: queue() })
    },
    stop() {
      multi.stop()
    },
  }
}
