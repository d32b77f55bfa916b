// Runs in main (`hpo-studio serve`). Serves the built renderer (out/renderer); paths that are not
// files fall back to index.html so the renderer's own routes survive a reload.
import { promises as fs } from 'node:fs'
import type { ServerResponse } from 'node:http'
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

async function readFileIn(
  root: string,
  relative: string,
): Promise<{ file: string; body: Buffer } | null> {
  const file = path.resolve(root, '.' + path.posix.normalize('/' + relative))
  if (file !== root && !file.startsWith(root + path.sep)) return null
  try {
    const stat = await fs.stat(file)
    if (!stat.isFile()) return null
    return { file, body: await fs.readFile(file) }
  } catch {
    return null
  }
}

/** Writes the file for `urlPath` (or index.html) to `res`; headers common to all responses are set by the caller. */
export async function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse,
  head: boolean,
): Promise<void> {
  const rootAbs = path.resolve(root)
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bad path')
    return
  }
  const found =
    (decoded !== '/' && (await readFileIn(rootAbs, decoded))) ||
    (path.extname(decoded) === '' ? await readFileIn(rootAbs, 'index.html') : null)
  if (!found) {
    const built = await readFileIn(rootAbs, 'index.html')
    res
      .writeHead(built ? 404 : 503, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end(
        built ? 'not found' : `the UI is not built (no ${rootAbs}/index.html): run npm run build`,
      )
    return
  }
  const type = TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream'
  const hashed = /-[A-Za-z0-9_-]{8,}\.(js|css)$/.test(found.file)
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': found.body.length,
    'Cache-Control': hashed ? 'private, max-age=31536000, immutable' : 'no-cache',
  })
  res.end(head ? undefined : found.body)
}
