// Runs in main (and in the CLI and `serve`): the SQLite StudyStore. Several processes may open the same
// file at once; each opener decides whether to call recoverStaleTrials().
import os from 'node:os'
import { createControlRequests } from './controlRequests.ts'
import { createDatasetRows } from './datasetRows.ts'
import { createLeases } from './leases.ts'
import { openDatabase, type OpenDatabaseOptions } from './openDatabase.ts'
import { createSettingsRows } from './settingsRows.ts'
import { createStoreContext } from './storeContext.ts'
import { createStudyImport } from './studyImport.ts'
import { createStudyRows } from './studyRows.ts'
import type { StudyStore } from './studyStore.ts'
import { createTrialLogs } from './trialLogs.ts'
import { createTrialQuery } from './trialQuery.ts'
import { createTrialReads } from './trialReads.ts'
import { createTrialRows } from './trialRows.ts'
import { createTunerStates } from './tunerStates.ts'

export const DEFAULT_STALE_MS = 15_000
/** Per stream and trial: this many characters from the start and as many from the end are kept. */
export const DEFAULT_LOG_LIMIT_CHARS = 256 * 1024

export interface OpenStudyStoreOptions extends Pick<OpenDatabaseOptions, 'busyTimeoutMs'> {
  /** A lease whose heartbeat is older than this is stale (study-file.md: 15 s). */
  staleMs?: number
  /** This machine's name, compared with a lease's host to check its pid. */
  host?: string
  logLimitChars?: number
}

/** Opens (creating and migrating if needed) a store on a file, or on ':memory:'. */
export function openStudyStore(path: string, options: OpenStudyStoreOptions = {}): StudyStore {
  const db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs })
  const ctx = createStoreContext(db, {
    host: options.host ?? os.hostname(),
    staleMs: options.staleMs ?? DEFAULT_STALE_MS,
    logLimitChars: Math.max(1, options.logLimitChars ?? DEFAULT_LOG_LIMIT_CHARS),
  })
  const studyRows = createStudyRows(ctx)
  return {
    path,
    ...studyRows,
    ...createStudyImport(ctx, studyRows.createStudy),
    ...createTrialRows(ctx),
    ...createTrialReads(ctx),
    ...createTrialQuery(ctx),
    ...createTrialLogs(ctx),
    ...createTunerStates(ctx),
    ...createLeases(ctx),
    ...createControlRequests(ctx),
    ...createSettingsRows(ctx),
    ...createDatasetRows(ctx),
    close() {
      if (db.open) db.close()
    },
  }
}
