// Runs in the renderer: the study view's filter as a plot request's option (none when it passes all).
import { isEmptyFilter, type TrialFilter } from '../../../../../shared/trialFilter.ts'

export const filterOption = (filter: TrialFilter): { filter?: TrialFilter } =>
  isEmptyFilter(filter) ? {} : { filter }
