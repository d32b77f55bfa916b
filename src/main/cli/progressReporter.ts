// Runs in the CLI: a progress bar on a terminal (trials done / budget, best value, ETA), plain lines otherwise,
// nothing with --json.
import cliProgress from 'cli-progress'
import type { StudyEvent } from '../../shared/studyEvent.ts'

export interface ProgressReporter {
  onEvent(event: StudyEvent): void
  stop(): void
}

const fmt = (v: number | null): string =>
  v === null ? '-' : Number.isInteger(v) ? String(v) : v.toPrecision(6)

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
      },
      stop() {},
    }
  }
  const multi = new cliProgress.MultiBar(
    {
      format:
        '{bar} {value}/{total} trials | best {best} | running {running} | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 20,
      stream: out as NodeJS.WriteStream,
    },
    cliProgress.Presets.shades_classic,
  )
  let running = 0
  const bar = multi.create(o.total, done, { best: fmt(best), running })
  return {
    onEvent(e) {
      if (e.type === 'trial-started') running++
      if (e.type === 'trial-finished') {
        running = Math.max(0, running - 1)
        if (e.state !== 'interrupted') done++
        if (e.isBest) best = e.value
        if (e.state === 'failed') multi.log(`trial ${e.trialNumber} failed: ${e.error}\n`)
      }
      if (e.type === 'warning') multi.log(`warning: ${e.message}\n`)
      bar.update(Math.min(done, o.total), { best: fmt(best), running })
    },
    stop() {
      multi.stop()
    },
  }
}
