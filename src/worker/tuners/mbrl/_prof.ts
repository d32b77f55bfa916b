import { createRng } from '../../../shared/rng.ts'
import { fitSurrogate } from './surrogateModel.ts'
import { useCpuBackend } from './tfCpu.ts'
await useCpuBackend()
for (const N of [50]) {
  const rng = createRng(N)
  const x = Array.from({ length: N }, () => [2 * rng.next() - 1, 2 * rng.next() - 1])
  const y = x.map((u) => Math.sin(3 * u[0]) + u[1] ** 2)
  const c0 = process.cpuUsage().user
  const t0 = performance.now()
  const fit = fitSurrogate(x, y, 'mlp', rng)
  console.log(
    N,
    'wall',
    (performance.now() - t0).toFixed(0),
    'cpu',
    ((process.cpuUsage().user - c0) / 1000).toFixed(0),
    'epochs',
    fit.epochs,
    'r2',
    fit.cvR2.toFixed(3),
  )
}
