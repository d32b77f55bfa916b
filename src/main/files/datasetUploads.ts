// Runs in main: a data set uploaded from a browser, stored under the app's data-set folder with a safe
// name; the same bytes uploaded twice land in the same file, different bytes never overwrite one.
import { promises as fs } from 'node:fs'
import path from 'node:path'

function safeFileName(name: string): string {
  const base = path
    .basename(name)
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
  return base.slice(-120) || 'dataset'
}

/** Writes the bytes into `dir` under a sanitized form of `fileName`; returns the file's path. */
export async function storeUpload(dir: string, fileName: string, bytes: Buffer): Promise<string> {
  await fs.mkdir(dir, { recursive: true })
  const name = safeFileName(fileName)
  let target = path.join(dir, name)
  for (let i = 2; ; i++) {
    const existing = await fs.readFile(target).catch(() => null)
    if (!existing || existing.equals(bytes)) break
    const ext = path.extname(name)
    target = path.join(dir, `${path.basename(name, ext)}-${i}${ext}`)
  }
  await fs.writeFile(target, bytes)
  return target
}
