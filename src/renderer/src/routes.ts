// Runs in the renderer (and in Node tests). The app's addresses: a hash route per view and per tab of
// a study, so a link, a bookmark or the screenshot script opens exactly that page.
//   #/                      studies          #/new?template=ID | ?from=STUDY_ID   new study
//   #/study/ID              overview         #/study/ID/trials?sel=1,2,3          trials (+ comparison)
//   #/study/ID/analysis     analysis         #/study/ID/agent                      RL agent
//   #/study/ID/export       export           #/study/ID/trial/N                    one trial
//   #/compare?ids=1,2       studies overlaid #/settings                            settings

/** The tabs of the study view, in order; `#/study/ID/TAB` opens one (`#/study/ID` the overview). */
export const STUDY_TABS = ['overview', 'trials', 'analysis', 'agent', 'export'] as const
export type StudyTab = (typeof STUDY_TABS)[number]

export type Route =
  | { name: 'studies' }
  | { name: 'new'; template: string | null; from: number | null }
  | { name: 'study'; id: number; tab: StudyTab; selection: number[] }
  | { name: 'trial'; id: number; number: number }
  | { name: 'compare'; ids: number[] }
  | { name: 'settings' }

/** "1,2,3" → [1, 2, 3]; anything that is not a whole number is dropped. */
function numberList(text: string | null): number[] {
  return (text ?? '')
    .split(',')
    .filter((x) => /^\d+$/.test(x))
    .map(Number)
}

export function parseRoute(h: string): Route {
  const [pathPart, query = ''] = h.replace(/^#/, '').split('?')
  const params = new URLSearchParams(query)
  const parts = pathPart.split('/').filter(Boolean)
  if (parts[0] === 'new') {
    const from = Number(params.get('from'))
    return {
      name: 'new',
      template: params.get('template'),
      from: params.has('from') && Number.isInteger(from) ? from : null,
    }
  }
  if (parts[0] === 'study' && /^\d+$/.test(parts[1] ?? '')) {
    const id = Number(parts[1])
    if (parts[2] === 'trial' && /^\d+$/.test(parts[3] ?? ''))
      return { name: 'trial', id, number: Number(parts[3]) }
    const tab = STUDY_TABS.find((t) => t === parts[2]) ?? 'overview'
    return { name: 'study', id, tab, selection: numberList(params.get('sel')) }
  }
  if (parts[0] === 'compare') return { name: 'compare', ids: numberList(params.get('ids')) }
  if (parts[0] === 'settings') return { name: 'settings' }
  return { name: 'studies' }
}

/** The address of a study's tab (with a selection of trials, when there is one). */
export function studyHref(
  id: number,
  tab: StudyTab = 'overview',
  selection: number[] = [],
): string {
  const path = tab === 'overview' ? `#/study/${id}` : `#/study/${id}/${tab}`
  return selection.length ? `${path}?sel=${selection.join(',')}` : path
}
