import { describe, expect, it } from 'vitest'
import { mainWindowOptions } from './mainWindowOptions.ts'

describe('mainWindowOptions', () => {
  it('isolates and sandboxes the renderer, with no Node in any frame', () => {
    const o = mainWindowOptions('/app/out/preload/index.cjs')
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    expect(o.show).toBe(false)
  })
})
