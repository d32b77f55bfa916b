// The renderer alone (what `hpo-studio serve` and the e2e tests load): `vite build -c vite.renderer.config.ts`.
// The one definition lives in electron.vite.config.ts, so the desktop build and this one cannot drift.
import { rendererViteConfig } from './electron.vite.config.ts'

export default rendererViteConfig
