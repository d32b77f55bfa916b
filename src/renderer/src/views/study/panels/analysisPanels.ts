// Runs in the renderer: the plots of the Analysis tab, in order. Each is a component that takes the
// study view's props (studyId, detail, selected, filter), loads its own data and emits the tab's events;
// a new plot is one component and one line here.
import type { Component } from 'vue'
import type { StudyDetail } from '../../../../../shared/studioApi.ts'
import ContourPanel from './ContourPanel.vue'
import HistoryPanel from './HistoryPanel.vue'
import ImportancePanel from './ImportancePanel.vue'
import ParallelPanel from './ParallelPanel.vue'
import SlicePanel from './SlicePanel.vue'

export interface AnalysisPanel {
  id: string
  component: Component
  /** Spans the whole width. */
  wide?: boolean
  /** Slow (seconds): the tab is ready without waiting for it. */
  background?: boolean
  shows?: (detail: StudyDetail) => boolean
}

export const ANALYSIS_PANELS: AnalysisPanel[] = [
  { id: 'parallel', component: ParallelPanel, wide: true },
  { id: 'history', component: HistoryPanel },
  { id: 'importance', component: ImportancePanel, background: true },
  { id: 'slice', component: SlicePanel },
  { id: 'contour', component: ContourPanel, shows: (d) => d.spec.space.params.length >= 2 },
]
