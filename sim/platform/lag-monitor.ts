import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

/**
 * The harness's own health during each measured window: event-loop lag (max, p99) and CPU time.
 * A window where the harness lagged badly measured the harness, not the network; run.json keeps
 * these so a reader can tell.
 */
export interface LagWindow {
  window: string
  duration_ms: number
  lag_max_ms: number
  lag_p99_ms: number
  cpu_ms: number
}

export class LagMonitor {
  readonly windows: LagWindow[] = []
  #hist: IntervalHistogram | null = null
  #name = ''
  #start = 0
  #cpu: NodeJS.CpuUsage | null = null

  begin(name: string): void {
    this.end()
    this.#hist = monitorEventLoopDelay({ resolution: 10 })
    this.#hist.enable()
    this.#name = name
    this.#start = performance.now()
    this.#cpu = process.cpuUsage()
  }

  end(): void {
    const h = this.#hist
    if (!h) return
    h.disable()
    const cpu = process.cpuUsage(this.#cpu ?? undefined)
    const round = (x: number) => Math.round(x * 1000) / 1000
    this.windows.push({
      window: this.#name,
      duration_ms: round(performance.now() - this.#start),
      // The histogram counts the sampling resolution as delay; subtract it.
      lag_max_ms: round(Math.max(0, h.max / 1e6 - 10)),
      lag_p99_ms: round(Math.max(0, h.percentile(99) / 1e6 - 10)),
      cpu_ms: round((cpu.user + cpu.system) / 1000),
    })
    this.#hist = null
  }
}
