// Runs in the renderer: what every tab of the study view receives and sends back. The study view holds
// the selection and the filter, so every tab (and every plot in it) shows the same trials.
import type { StudyDetail } from '../../../../shared/studioApi.ts'
import type { TrialFilter } from '../../../../shared/trialFilter.ts'

export interface StudyTabProps {
  studyId: number
  detail: StudyDetail
  /** Trial numbers selected in any table or plot. */
  selected: number[]
  /** The trial table's filter; the parallel coordinates' brushes set it too. */
  filter: TrialFilter
}

/** Events of a tab, in the form `defineEmits` takes. */
export type StudyTabEmits = {
  'update:selected': [numbers: number[]]
  'update:filter': [filter: TrialFilter]
  /** Open a trial's page. */
  open: [trialNumber: number]
  /** The tab's first data arrived (the benchmark and the tests wait for this). */
  ready: []
}

/** A click on a trial in a plot: it joins the selection, or leaves it. */
export const toggleIn = (selected: readonly number[], n: number): number[] =>
  selected.includes(n) ? selected.filter((x) => x !== n) : [...selected, n]
