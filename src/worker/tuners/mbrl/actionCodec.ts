// Runs in the tuner worker: between the agent's actions (one per step, in the agent's order) and
// configurations of the study's space, through the engine's one decoder (spec §3).
import type { AgentParamPolicy } from '../../../shared/agentSnapshot.ts'
import type { Config, ParamSpec, SearchSpace } from '../../../shared/searchSpace.ts'
import { decodePoint, decodeUnit, encodeUnit } from '../../../shared/spaceCodec.ts'
import type { Rng } from '../../../shared/rng.ts'

export type OrderOption = 'shuffled' | 'file'

/** Agent step t picks space.params[order[t]]: shuffled once with the study's RNG, or file order. */
export function agentOrder(space: SearchSpace, option: OrderOption, rng: Rng): number[] {
  const order = space.params.map((_, i) => i)
  if (option === 'file') return order
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
}

export const clipUnit = (h: number): number => Math.min(1, Math.max(-1, h))
const toUnit = (u: number): number => (clipUnit(u) + 1) / 2

/**
 * u_t = clip(h_t, −1, 1) decoded at x = (u+1)/2; parents are decided in the space's own order and a
 * parameter whose condition is false is dropped (its step was still taken).
 */
export function decodeActions(
  space: SearchSpace,
  order: readonly number[],
  h: readonly number[],
): Config {
  const x = new Array<number>(space.params.length)
  order.forEach((param, t) => (x[param] = toUnit(h[t])))
  return decodePoint(space, x)
}

/**
 * Actions for a configuration the agent did not sample (queued or imported): u = 2·encodeUnit − 1 for
 * each parameter present, the policy mean for an absent (inactive) one.
 */
export function encodeActions(
  space: SearchSpace,
  order: readonly number[],
  config: Readonly<Config>,
  mean: readonly number[],
): number[] {
  return order.map((param, t) => {
    const p = space.params[param]
    return p.name in config ? 2 * encodeUnit(p, config[p.name]) - 1 : mean[t]
  })
}

/** The policy per parameter in real units (space order), for the agent panel. */
export function describePolicy(
  space: SearchSpace,
  order: readonly number[],
  mean: readonly number[],
  spread: readonly number[],
): AgentParamPolicy[] {
  const step = new Map(order.map((param, t) => [param, t]))
  return space.params.map((p: ParamSpec, i) => {
    const t = step.get(i) as number
    return {
      name: p.name,
      mean: mean[t],
      spread: spread[t],
      meanValue: decodeUnit(p, toUnit(mean[t])),
      lowValue: decodeUnit(p, toUnit(mean[t] - spread[t])),
      highValue: decodeUnit(p, toUnit(mean[t] + spread[t])),
    }
  })
}
