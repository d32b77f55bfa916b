// The worker protocol over a byte stream, for a worker whose only channel is its stdin and stdout (a trial
// worker under srun: Node's IPC channel does not cross it). One message per line: a marker, then JSON. The
// marker tells messages apart from anything else on the stream (a native library writing to stdout), which is
// handed on as a plain line, so a stray print costs a log line, not the protocol. Uint8Array and non-finite
// numbers, which JSON cannot hold, are tagged on the way out and restored on the way in.

/** Starts every protocol line (record separator, then a version tag). */
export const FRAME_MARKER = '\u001eHPO1 '

const BYTES = '$hpoBytes'
const NUMBER = '$hpoNumber'

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** One message as one protocol line, newline included. */
export function encodeFrame(message: unknown): string {
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return { [BYTES]: toBase64(value) }
    if (typeof value === 'number' && !Number.isFinite(value)) return { [NUMBER]: String(value) }
    return value
  })
  return `${FRAME_MARKER}${json}\n`
}

function decodeFrame(json: string): unknown {
  return JSON.parse(json, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null) return value
    const tagged = value as Record<string, unknown>
    if (typeof tagged[BYTES] === 'string') return fromBase64(tagged[BYTES])
    if (typeof tagged[NUMBER] === 'string') return Number(tagged[NUMBER])
    return value
  })
}

export interface FrameReader {
  /** Text as it arrives, in pieces of any size. */
  push(chunk: string): void
  /** The stream ended: a last line without its newline is handed on. */
  end(): void
}

/**
 * Splits a stream into protocol messages and other lines. A line with the marker after other text (a
 * library's print without a newline) yields both: the text as a line, the rest as a message.
 */
export function createFrameReader(
  onMessage: (message: unknown) => void,
  onLine: (line: string) => void,
): FrameReader {
  let partial = ''
  const take = (raw: string): void => {
    const at = raw.indexOf(FRAME_MARKER)
    const before = (at < 0 ? raw : raw.slice(0, at)).trimEnd()
    if (before.trim()) onLine(before)
    if (at < 0) return
    const json = raw.slice(at + FRAME_MARKER.length)
    try {
      onMessage(decodeFrame(json))
    } catch (e) {
      onLine(
        `[hpo-studio] unreadable protocol line (${(e as Error).message}): ${json.slice(0, 200)}`,
      )
    }
  }
  return {
    push(chunk) {
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) take(line)
    },
    end() {
      if (partial) take(partial)
      partial = ''
    },
  }
}
