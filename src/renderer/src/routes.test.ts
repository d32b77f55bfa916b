import { describe, expect, it } from 'vitest'
import { STUDY_TABS, parseRoute, studyHref } from './routes.ts'

describe('routes', () => {
  it('opens every tab of a study at its own address, with a selection', () => {
    expect(parseRoute('#/study/3')).toEqual({
      name: 'study',
      id: 3,
      tab: 'overview',
      selection: [],
    })
    for (const tab of STUDY_TABS)
      expect(parseRoute(studyHref(3, tab, [1, 5]))).toEqual({
        name: 'study',
        id: 3,
        tab,
        selection: [1, 5],
      })
    expect(parseRoute('#/study/3/nonsense')).toMatchObject({ tab: 'overview' })
    expect(parseRoute('#/study/3/trials?sel=1,x,2')).toMatchObject({ selection: [1, 2] })
  })

  it('opens a trial, the studies overlaid, a new study, settings; anything else is the list', () => {
    expect(parseRoute('#/study/3/trial/12')).toEqual({ name: 'trial', id: 3, number: 12 })
    expect(parseRoute('#/compare?ids=1,2')).toEqual({ name: 'compare', ids: [1, 2] })
    expect(parseRoute('#/new?from=4')).toEqual({ name: 'new', template: null, from: 4 })
    expect(parseRoute('#/settings')).toEqual({ name: 'settings' })
    expect(parseRoute('#/what')).toEqual({ name: 'studies' })
  })
})
