import { defineConfig } from 'vitest/config'

// The Slurm suites (test/integration/slurm*.test.ts, test/e2e/slurm*.test.ts) share one single-node cluster
// that their global setup starts and stops; they run after every other suite, one file at a time, so a queue
// state they wait for is theirs alone.
const SLURM_SUITES = ['test/integration/slurm*.test.ts', 'test/e2e/slurm*.test.ts']

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...SLURM_SUITES],
        },
      },
      {
        extends: true,
        test: {
          name: 'slurm',
          include: SLURM_SUITES,
          globalSetup: ['test/helpers/slurmClusterSetup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
