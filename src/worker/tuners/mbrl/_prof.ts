import { createRng } from '../../../shared/rng.ts'
import { syntheticFunction } from '../../../shared/syntheticFunctions.ts'
import { decodePoint } from '../../../shared/spaceCodec.ts'
import { trainSlots, type PointRole } from './batchedMlp.ts'
import { useCpuBackend } from './tfCpu.ts'
await useCpuBackend()
for (const fn of ['branin', 'hartmann6'] as const) {
  const f = syntheticFunction(fn)
  for (const N of [25, 50, 100]) {
    const rng = createRng(N)
    const x = Array.from({ length: N }, () => f.params.map(() => 2 * rng.next() - 1))
    const raw = x.map((u) => -f.evaluate(decodePoint({ params: f.params }, u.map((v) => (v + 1) / 2))))
    const m = raw.reduce((a, b) => a + b) / N
    const sd = Math.sqrt(raw.reduce((a, b) => a + (b - m) ** 2, 0) / N)
    const y = raw.map((v) => (v - m) / sd)
    const roles: PointRole[][] = [x.map((_, i) => (i % 5 === 0 ? 'holdout' : 'train'))]
    const t0 = performance.now()
    const r = trainSlots(x, y, roles, rng)
    console.log(fn, N, 'ms', (performance.now() - t0).toFixed(0), 'best epoch', r[0].epochs, 'hold mse', r[0].holdoutMse?.toFixed(3))
  }
}
