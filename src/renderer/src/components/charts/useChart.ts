// Runs in the renderer: one Chart.js chart on a canvas, created at mount and then redrawn in place (no
// animation) whenever `deps` change, destroyed with the component. `instance()` is for hit-testing.
import type { ChartConfiguration, ChartType } from 'chart.js'
import { onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue'
import { Chart } from './chartSetup.ts'

export function useChart<T extends ChartType>(
  canvas: Ref<HTMLCanvasElement | null>,
  config: () => ChartConfiguration<T>,
  deps: WatchSource | WatchSource[],
): { instance: () => Chart<T> | null } {
  let chart: Chart<T> | null = null
  const render = (): void => {
    if (!canvas.value) return
    const c = config()
    if (!chart) {
      chart = new Chart(canvas.value, c)
      return
    }
    chart.data = c.data
    if (c.options) chart.options = c.options
    chart.update('none')
  }
  onMounted(render)
  watch(deps, render)
  onBeforeUnmount(() => chart?.destroy())
  return { instance: () => chart }
}
