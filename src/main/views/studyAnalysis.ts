// Runs in main. What the study view and the trial comparison show, computed over the StudyStore and the
// analysis workers (downsampling and importance happen there, never in main's event loop or the renderer).
// The StudioApi handlers call these; each concept has its own file.
export { createAnalysisContext, type AnalysisContext } from './analysisContext.ts'
export { agentTimeline } from './agentTimeline.ts'
export { learningCurves, type CurvesOptions } from './learningCurves.ts'
export { contourData, paramPoints, sliceData } from './paramPlots.ts'
export { studiesOverlay, studyHistory } from './studyHistory.ts'
export { studyImportance, type ImportanceOptions } from './studyImportance.ts'
export { studyLive } from './studyLive.ts'
export { compareTrials } from './trialComparison.ts'
export { listTrialFiles, readTrialFile } from '../files/trialFiles.ts'
export { exportStudyFile, trialSnippets } from '../export/studyExport.ts'
