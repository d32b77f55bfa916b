// The preload as Electron loads it: bundled to one CommonJS file and run where `require` knows only
// 'electron' (a sandboxed preload), with a fake contextBridge and ipcRenderer.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import { build } from 'vite'
import { describe, expect, it } from 'vitest'
import { checkExposed, fakes } from './preloadFakes.ts'

describe('built preload', () => {
  it('builds to one CommonJS file that requires nothing but electron (sandboxed preloads can load no more)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-preload-'))
    try {
      const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
      await build({
        configFile: false,
        logLevel: 'silent',
        build: {
          outDir: dir,
          lib: {
            entry: path.join(root, 'src/preload/index.ts'),
            formats: ['cjs'],
            fileName: () => 'index.cjs',
          },
          rollupOptions: { external: ['electron'] },
          minify: false,
        },
      })
      const code = readFileSync(path.join(dir, 'index.cjs'), 'utf8')
      const f = fakes()
      const required: string[] = []
      const sandbox = {
        require: (id: string) => {
          required.push(id)
          if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`)
          return { contextBridge: f.contextBridge, ipcRenderer: f.ipcRenderer }
        },
        module: { exports: {} },
        exports: {},
      }
      vm.runInNewContext(code, sandbox)
      expect([...new Set(required)]).toEqual(['electron'])
      await checkExposed(f)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
