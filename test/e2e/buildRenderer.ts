// Builds the renderer into out/renderer once for the e2e tests (what `serve` and the Electron window load).
import { build } from 'vite'
import { rendererViteConfig } from '../../electron.vite.config.ts'

export async function buildRenderer(): Promise<string> {
  await build({ ...rendererViteConfig, configFile: false, logLevel: 'warn' })
  return rendererViteConfig.build!.outDir!
}
