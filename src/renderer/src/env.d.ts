import type { StudioBridge } from '../../shared/studioApi.ts'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser (then the HTTP client is used). */
    studio?: StudioBridge
  }
}

export {}
