// Runs in the CLI: `serve` needs the built renderer; a fresh checkout builds it once (vite, a few seconds).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_RENDERER_DIR } from '../server/startServer.ts'

export async function ensureRendererBuilt(): Promise<string> {
  if (existsSync(path.join(DEFAULT_RENDERER_DIR, 'index.html'))) return DEFAULT_RENDERER_DIR
  process.stderr.write('building the UI once (vite)…\n')
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
  const { build } = await import('vite')
  await build({ configFile: path.join(root, 'vite.renderer.config.ts'), logLevel: 'warn' })
  return DEFAULT_RENDERER_DIR
}
