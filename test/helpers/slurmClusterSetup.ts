// Global setup of the Slurm suites: a one-node Slurm cluster (scripts/slurmCluster.sh) on free ports in a
// fresh folder, stopped after the suites. Where it cannot start, the suites fail with the reason. With
// HPO_TEST_SLURM_CONF set, the suites use that running cluster instead and leave it running.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    slurmConf: string
  }
}

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/slurmCluster.sh')

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, () => server.close(() => resolve(true)))
  })
}

/** Two free consecutive ports (slurmctld, slurmd), so a cluster someone else runs is left alone. */
async function freePortBase(): Promise<number> {
  for (let base = 27017; base < 29000; base += 2)
    if ((await portFree(base)) && (await portFree(base + 1))) return base
  throw new Error('no two free consecutive ports between 27017 and 29000 for the test cluster')
}

function cluster(action: 'start' | 'stop', dir: string, portBase: number): string {
  try {
    return execFileSync('bash', [SCRIPT, action, dir], {
      env: { ...process.env, SLURM_PORT_BASE: String(portBase) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (e) {
    const err = e as { stderr?: string; message: string }
    throw new Error(
      `the Slurm test cluster did not ${action} (scripts/slurmCluster.sh ${action} ${dir}): ${err.stderr?.trim() || err.message}`,
      { cause: e },
    )
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.HPO_TEST_SLURM_CONF
  if (given) {
    project.provide('slurmConf', given)
    return () => {}
  }
  if (process.getuid?.() !== 0)
    throw new Error(
      'the Slurm suites need a one-node cluster, and starting one needs root (munged, slurmd): run the tests as root, or start one with `sudo bash scripts/slurmCluster.sh start DIR` and set HPO_TEST_SLURM_CONF=DIR/slurm.conf',
    )
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-slurm-test-'))
  const portBase = await freePortBase()
  try {
    cluster('start', dir, portBase)
  } catch (e) {
    // what did start (munged, slurmctld) must not outlive the failed run
    try {
      cluster('stop', dir, portBase)
    } catch {
      // nothing was running
    }
    throw e
  }
  project.provide('slurmConf', path.join(dir, 'slurm.conf'))
  return () => {
    cluster('stop', dir, portBase)
    rmSync(dir, { recursive: true, force: true })
  }
}
