// Runs in a trial worker: what the Python client (clients/python, `import hpo_studio`) tells the runner
// from inside a command objective. It appends JSON lines to the file named by $HPO_CHANNEL; this tails the
// file, so a report reaches the pruner while the program runs, whatever the program prints on stdout and
// however deep in its process tree the client runs.
import { closeSync, openSync, readSync, watch, type FSWatcher } from 'node:fs'
import path from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { z } from 'zod'

const json: z.ZodType<unknown> = z.unknown()
const finite = z.number().refine(Number.isFinite, 'a finite number')

export const clientMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('report'), step: finite, value: finite }),
  z.strictObject({ t: z.literal('attr'), key: z.string().min(1).max(200), value: json }),
  /** The client copied a file into $HPO_TRIAL_DIR/artifacts/NAME. */
  z.strictObject({
    t: z.literal('artifact'),
    name: z.string().min(1),
    bytes: z.number().int().min(0),
  }),
  z.strictObject({ t: z.literal('result'), value: finite }),
  /** Sent once, on the first should_prune(): the program stops by itself when pruned. */
  z.strictObject({ t: z.literal('polls-prune') }),
])
export type ClientMessage = z.infer<typeof clientMessageSchema>

/** A fallback: the folder is watched, so a message is usually read as soon as it is written. */
export const CHANNEL_POLL_MS = 250
const CHUNK = 64 * 1024

export interface ChannelTail {
  /** Reads what was appended since the last read. */
  poll(): void
  /** Reads the rest and stops polling. */
  stop(): void
}

/** Tails the channel file; each complete line is a message, or a bad line (reason given). */
export function tailChannel(
  file: string,
  onMessage: (m: ClientMessage) => void,
  onBad: (line: string, reason: string) => void,
): ChannelTail {
  let offset = 0
  let pending = ''
  const buf = Buffer.alloc(CHUNK)
  const decoder = new StringDecoder('utf8')
  const poll = (): void => {
    let fd: number
    try {
      fd = openSync(file, 'r')
    } catch {
      return // not written yet
    }
    try {
      for (let n; (n = readSync(fd, buf, 0, CHUNK, offset)) > 0; offset += n)
        pending += decoder.write(buf.subarray(0, n))
    } finally {
      closeSync(fd)
    }
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.trim()) continue
      let raw: unknown
      try {
        raw = JSON.parse(line)
      } catch {
        onBad(line, 'not JSON')
        continue
      }
      const m = clientMessageSchema.safeParse(raw)
      if (m.success) onMessage(m.data)
      else
        onBad(
          line,
          m.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; '),
        )
    }
  }
  const timer = setInterval(poll, CHANNEL_POLL_MS)
  let watcher: FSWatcher | null = null
  try {
    watcher = watch(path.dirname(file), (_event, name) => {
      if (name === path.basename(file)) poll()
    })
    watcher.on('error', () => watcher?.close())
  } catch {
    // no inotify here: the interval reads it
  }
  return {
    poll,
    stop() {
      clearInterval(timer)
      watcher?.close()
      poll()
    },
  }
}
