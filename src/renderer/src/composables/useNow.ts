// Runs in the renderer: a clock for what counts up on screen (a running trial's elapsed time), ticking
// once a second while the component lives.
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'
import { formatDuration } from '../format.ts'

export function useNow(periodMs = 1000): Ref<number> {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | null = null
  onMounted(() => (timer = setInterval(() => (now.value = Date.now()), periodMs)))
  onBeforeUnmount(() => timer && clearInterval(timer))
  return now
}

/** A duration measured at `fetchedAt` that keeps counting: whole seconds, as a clock shows them. */
export const countedUp = (ms: number, fetchedAt: number, now: number): number =>
  Math.round((ms + Math.max(0, now - fetchedAt)) / 1000) * 1000

/** The running clock's text: under a second reads "< 1 s" (not "0 ms": the clock counts whole seconds). */
export function elapsedText(ms: number, fetchedAt: number, now: number): string {
  const shown = countedUp(ms, fetchedAt, now)
  return shown < 1000 ? '< 1 s' : formatDuration(shown)
}
