import type { SimEvent } from '../core/events.ts'

/**
 * A fault's window: from its first `fault.apply` to its `fault.heal` (paired by fault id); a
 * fault never healed (a restart) ends when its orchestrator is ready again, else at the end of
 * the run. One derivation for every reader: job phases (jobs.ts) and the HTML timeline.
 */
export interface FaultWindow {
  id: string
  start: number
  end: number
  /** the fault's type (`kill`, `blackhole`, `restart`...) */
  type: string
  /** what it hit: an orchestrator's name, or `group -> orch,orch` for a link fault */
  target: string
  /** false: no heal event (a restart, or a fault still active at the end of the run) */
  healed: boolean
  /** what ended it: its heal, its orchestrator ready again, or nothing before the last event */
  endedBy: 'heal' | 'ready' | 'run-end'
}

export const faultWindows = (events: readonly SimEvent[]): FaultWindow[] => {
  const last = events.reduce((m, e) => (e.t > m ? e.t : m), 0)
  const windows = new Map<string, FaultWindow & { orch?: string }>()
  for (const e of events) {
    // (a fault.apply without an id pairs with nothing: no window)
    if (e.kind === 'fault.apply' && typeof e.data.id === 'string' && !windows.has(e.data.id)) {
      const d = e.data
      const target = d.target_kind === 'link' ? `${d.group} -> ${d.orchestrators.join(',')}` : (e.orch ?? '')
      windows.set(d.id, {
        id: d.id,
        start: e.t,
        end: Number.POSITIVE_INFINITY,
        type: d.type,
        target,
        healed: false,
        endedBy: 'run-end',
        ...(e.orch === undefined ? {} : { orch: e.orch }),
      })
    } else if (e.kind === 'fault.heal') {
      const w = windows.get(e.data.id)
      if (w !== undefined && !w.healed) Object.assign(w, { end: e.t, healed: true, endedBy: 'heal' })
    }
  }
  for (const w of windows.values()) {
    if (w.healed) continue
    const ready = events.find((e) => e.kind === 'orch.ready' && e.orch === w.orch && e.t > w.start)
    w.end = ready?.t ?? last
    if (ready !== undefined) w.endedBy = 'ready'
  }
  return [...windows.values()].map(({ orch: _orch, ...w }) => w).sort((a, b) => a.start - b.start)
}
