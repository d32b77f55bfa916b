// Runs in main: a worker's stderr as lines — for whoever listens (the running trial's log) and the last
// few kept for the exit report (a native abort's message).
export interface StderrLines {
  /** The last three lines, joined, or undefined. */
  tail(): string | undefined
  /** Every line from now on; returns the unsubscribe. */
  onLine(listener: (line: string) => void): () => void
}

/** A child's stderr: a Node child's Readable or an Electron utility process's stream. */
type TextStream = Pick<NodeJS.ReadableStream, 'setEncoding' | 'on'>

export function watchStderr(stream: TextStream | null | undefined): StderrLines {
  const kept: string[] = []
  const listeners = new Set<(line: string) => void>()
  let partial = ''
  stream?.setEncoding('utf8')
  stream?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const raw of lines) {
      const line = raw.trimEnd()
      if (!line.trim()) continue
      kept.push(line.trim())
      if (kept.length > 8) kept.shift()
      for (const l of listeners) l(line)
    }
  })
  return {
    tail: () =>
      [...kept, ...(partial.trim() ? [partial.trim()] : [])].slice(-3).join(' | ') || undefined,
    onLine(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
