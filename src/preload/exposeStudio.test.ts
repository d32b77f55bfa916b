// The preload, loaded with a fake contextBridge and ipcRenderer: it exposes window.studio with exactly
// the StudioApi methods (and onEvent), all on one invoke channel, and nothing else.
import { describe, it } from 'vitest'
import { checkExposed, fakes } from '../../test/e2e/preloadFakes.ts'
import { exposeStudio } from './exposeStudio.ts'

describe('preload', () => {
  it('exposes exactly the StudioApi method list', async () => {
    const f = fakes()
    exposeStudio(f.contextBridge, f.ipcRenderer)
    await checkExposed(f)
  })
})
