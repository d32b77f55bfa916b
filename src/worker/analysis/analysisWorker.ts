// Runs in the analysis worker (role `analysis` of worker/index.ts): one request at a time, in arrival order.
// Main kills it when a request runs past its budget and starts another.
import type { ParentConnection } from '../connectToParent.ts'
import { handleRequests } from '../handleRequests.ts'
import { handleAnalysisRequest } from './analysisDispatch.ts'

export function serveAnalysisWorker(parent: ParentConnection): void {
  handleRequests(parent, async (req) => handleAnalysisRequest(req))
  parent.onDisconnect(() => process.exit(0))
}
