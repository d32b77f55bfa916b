// Runs in main: a trial's output lines, buffered and written to the store in one transaction per flush
// (every flushMs, or sooner once maxChars are waiting), so a program printing a progress bar costs a
// few writes a second instead of one transaction per line.
import type { StudyStore } from './studyStore.ts'

type Entry = Parameters<StudyStore['appendTrialLogs']>[0][number]

export interface TrialLogBuffer {
  add(trialId: number, stream: 'stdout' | 'stderr', text: string): void
  /** Writes what is waiting now (before the trial's result is recorded). */
  flush(): void
}

export function createTrialLogBuffer(
  store: Pick<StudyStore, 'appendTrialLogs'>,
  options: { flushMs?: number; maxChars?: number; onError?: (e: Error) => void } = {},
): TrialLogBuffer {
  const flushMs = options.flushMs ?? 250
  const maxChars = options.maxChars ?? 1024 * 1024
  let entries: Entry[] = []
  let chars = 0
  let timer: NodeJS.Timeout | undefined

  function flush(): void {
    clearTimeout(timer)
    timer = undefined
    if (!entries.length) return
    const batch = entries
    entries = []
    chars = 0
    try {
      store.appendTrialLogs(batch)
    } catch (e) {
      // a log that cannot be written (its trial deleted meanwhile) must not end the run
      options.onError?.(e as Error)
    }
  }

  return {
    add(trialId, stream, text) {
      entries.push({ trialId, stream, text })
      chars += text.length
      if (chars >= maxChars) flush()
      else timer ??= setTimeout(flush, flushMs).unref()
    },
    flush,
  }
}
