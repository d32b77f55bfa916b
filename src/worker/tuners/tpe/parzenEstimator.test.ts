import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import type { ParamSpec } from '../../../shared/searchSpace.ts'
import { createParzenEstimator } from './parzenEstimator.ts'
import { toInternal, tpeDimension, type TpeDimension } from './tpeDimension.ts'

// Reference log densities: Optuna 3.1.1's _ParzenEstimator (prior weight 1, magic clip, no
// endpoints, default weights) on the same observations and samples.
const params: Record<string, ParamSpec> = {
  float: { name: 'x', type: 'float', low: -5, high: 10, log: false },
  int: { name: 'x', type: 'int', low: 1, high: 20, log: false, step: 1 },
  intlog: { name: 'x', type: 'int', low: 1, high: 1000, log: true, step: 1 },
  cat: { name: 'x', type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
}
const cases: [string, number[], number[], number[]][] = [
  [
    'float',
    [6.61350534151325, 1.8422549832482282, 3.526509233029728],
    [
      -4.718152993454673, 4.264532456138156, 4.181435840836322, 4.254009953121354,
      9.156221177719363,
    ],
    [
      -1.4095208950552132, -0.6593906380085204, -0.6582162666290825, -0.6592288318170771,
      -1.0706257421893524,
    ],
  ],
  [
    'int',
    [17, 11, 5],
    [4, 20, 9, 15, 1],
    [
      -3.0700221829225893, -3.254161604324838, -2.8559768506536356, -2.923801417380261,
      -3.3672368834205146,
    ],
  ],
  [
    'intlog',
    [2, 19, 6],
    [352, 1, 753, 12, 12],
    [
      -1.3349759284709386, -0.8739197375180701, -1.4264511171005367, -0.6700523792569223,
      -0.6700523792569223,
    ],
  ],
  [
    'cat',
    [0, 1, 0],
    [1, 2, 3, 1, 3],
    [
      -1.2685113254635072, -1.856297990365626, -1.856297990365626, -1.2685113254635072,
      -1.856297990365626,
    ],
  ],
]
const opts = {
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: false,
}

describe('Parzen estimator', () => {
  it.each(cases)('%s: log densities equal Optuna 3.1.1’s', (kind, obs, samples, expected) => {
    const dim = tpeDimension(params[kind]) as TpeDimension
    const internal = (v: number) => (kind === 'cat' ? v : toInternal(dim, v))
    const pe = createParzenEstimator([obs.map(internal)], [dim], opts)
    const got = pe.logPdf([Float64Array.from(samples.map(internal))])
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12))
  })

  it('samples valid, rounded values from the below model and is a proper mixture', () => {
    const dim = tpeDimension({
      name: 'x',
      type: 'float',
      low: 0.5,
      high: 1,
      log: false,
      step: 0.05,
    }) as TpeDimension
    const pe = createParzenEstimator([[0.6, 0.65, 0.9]], [dim], opts)
    const [xs] = pe.sample(createRng(1), 2000)
    for (const x of xs)
      expect(Math.abs(Math.round((x - 0.5) / 0.05) * 0.05 + 0.5 - x)).toBeLessThan(1e-9)
    // probability masses over the 11 grid values sum to 1
    const grid = Float64Array.from({ length: 11 }, (_, k) => 0.5 + 0.05 * k)
    const total = Array.from(pe.logPdf([grid])).reduce((a, l) => a + Math.exp(l), 0)
    expect(total).toBeCloseTo(1, 10)
  })

  it('multivariate: Scott’s-rule bandwidth shared by all kernels, densities summed per kernel', () => {
    const dims = [
      tpeDimension({ name: 'a', type: 'float', low: 0, high: 1, log: false }) as TpeDimension,
      tpeDimension({ name: 'b', type: 'categorical', choices: ['u', 'v'] }) as TpeDimension,
    ]
    const pe = createParzenEstimator(
      [
        [0.2, 0.8],
        [0, 1],
      ],
      dims,
      { ...opts, multivariate: true },
    )
    const [a, b] = pe.sample(createRng(3), 400)
    // kernels pair a≈0.2 with b=u and a≈0.8 with b=v: joint samples keep that correlation
    let agree = 0
    for (let i = 0; i < a.length; i++) if (a[i] < 0.5 === (b[i] === 0)) agree++
    expect(agree / a.length).toBeGreaterThan(0.6)
  })
})
