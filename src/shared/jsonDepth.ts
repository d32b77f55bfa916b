// JSON from outside (an API body, a program's output) may nest without bound; validating, cloning or
// printing it recurses, so its depth is checked first, without recursion.

/** The nesting a message from outside may have; real payloads use a handful of levels. */
export const MAX_JSON_DEPTH = 64

/** Whether arrays and objects in `value` nest deeper than `max` levels. */
export function nestsDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [v, depth] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (depth + 1 > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}
