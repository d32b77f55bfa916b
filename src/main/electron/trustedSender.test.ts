import { describe, expect, it } from 'vitest'
import { isAppUrl } from './trustedSender.ts'

describe('isAppUrl', () => {
  const file = 'file:///opt/hpo/out/renderer/index.html'
  it('accepts the renderer file with any hash route', () => {
    expect(isAppUrl('file:///opt/hpo/out/renderer/index.html#/study/3', file)).toBe(true)
  })
  it('refuses other files, other schemes and junk', () => {
    expect(isAppUrl('file:///tmp/evil.html', file)).toBe(false)
    expect(isAppUrl('https://example.com/', file)).toBe(false)
    expect(isAppUrl('not a url', file)).toBe(false)
    expect(isAppUrl(undefined, file)).toBe(false)
  })
  it('accepts only the dev server origin in development', () => {
    const dev = 'http://localhost:5173/'
    expect(isAppUrl('http://localhost:5173/#/settings', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl('http://evil.localhost:5173/', dev)).toBe(false)
  })
})
