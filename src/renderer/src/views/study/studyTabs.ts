// Runs in the renderer: the tabs of the study view, in order, each at its own address (routes.ts).
// A tab is a component taking StudyTabProps and emitting StudyTabEmits; a new one is a component, an
// id in STUDY_TABS and one entry here.
import type { Component } from 'vue'
import type { StudyDetail } from '../../../../shared/studioApi.ts'
import { RL_TUNER_KINDS } from '../../../../shared/tunerSpec.ts'
import type { StudyTab } from '../../routes.ts'
import AgentTab from './AgentTab.vue'
import AnalysisTab from './AnalysisTab.vue'
import ExportTab from './ExportTab.vue'
import OverviewTab from './OverviewTab.vue'
import TrialsTab from './TrialsTab.vue'

export interface StudyTabDef {
  id: StudyTab
  title: string
  /** What a newcomer finds there (the tab's tooltip). */
  hint: string
  component: Component
  shows: (detail: StudyDetail) => boolean
}

const always = () => true

export const STUDY_TAB_DEFS: StudyTabDef[] = [
  {
    id: 'overview',
    title: 'Overview',
    hint: 'progress, running trials, best so far, history and learning curves',
    component: OverviewTab,
    shows: always,
  },
  {
    id: 'trials',
    title: 'Trials',
    hint: 'every trial in a table; the selected ones compared side by side',
    component: TrialsTab,
    shows: always,
  },
  {
    id: 'analysis',
    title: 'Analysis',
    hint: 'parallel coordinates, history, importance, slice and contour of the filtered trials',
    component: AnalysisTab,
    shows: always,
  },
  {
    id: 'agent',
    title: 'Agent',
    hint: "the RL tuner's policy, episodes, KL against δ and surrogate",
    component: AgentTab,
    shows: (d) => RL_TUNER_KINDS.includes(d.spec.tuner.kind),
  },
  {
    id: 'export',
    title: 'Export',
    hint: 'the study file with its trials, JSON, CSV, and snippets of a configuration',
    component: ExportTab,
    shows: always,
  },
]
