// Builds the desktop app: main (the Electron bootstrap plus the worker entry, run as utility processes),
// the sandboxed preload (one CommonJS file), and the renderer (also served by `hpo-studio serve`).
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { UserConfig } from 'vite'

const root = path.dirname(fileURLToPath(import.meta.url))
const at = (...p: string[]) => path.resolve(root, ...p)

/** The renderer alone, for `serve` and the e2e tests (vite build with this config). */
export const rendererViteConfig: UserConfig = {
  root: at('src/renderer'),
  base: './',
  plugins: [vue()],
  build: {
    outDir: at('out/renderer'),
    emptyOutDir: true,
    // No inline scripts or styles: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: { input: at('src/renderer/index.html') },
  },
}

export default defineConfig({
  main: {
    resolve: {
      // In Electron, better-sqlite3 loads the Electron-ABI binary built by scripts/startElectron.mjs.
      alias: [
        {
          find: /^better-sqlite3$/,
          replacement: at('src/main/electron/betterSqlite3Electron.ts'),
        },
      ],
    },
    build: {
      outDir: at('out/main'),
      // Bundled through the alias above; the shim loads the real package at run time.
      externalizeDeps: { exclude: ['better-sqlite3'] },
      rollupOptions: {
        input: {
          index: at('src/main/electron/index.ts'),
          worker: at('src/worker/index.ts'),
        },
        output: { entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // A sandboxed preload cannot load ES modules or other files: one CommonJS bundle.
      externalizeDeps: false,
      lib: { entry: at('src/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
      rollupOptions: { external: ['electron'], output: { entryFileNames: 'index.cjs' } },
    },
  },
  renderer: rendererViteConfig as never,
})
