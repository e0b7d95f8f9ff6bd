import { esc } from './page.ts'
import type { NodeState } from './segments.ts'

/**
 * The colours every chart of a report shares, so that orch-1 is the same blue in the
 * nodes-per-orchestrator chart, the timeline and its zooms. Orchestrator colours avoid the
 * state colours (grey: connecting, red: disconnected, black: closed).
 */
export const ORCH_PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#72b7b2', '#eeca3b', '#9d755d', '#ff9da6', '#17becf', '#bcbd22']

export const orchColor = (k: number): string => ORCH_PALETTE[k % ORCH_PALETTE.length] as string

export const NODE_STATES: readonly NodeState[] = ['connecting', 'connected', 'disconnected', 'closed']
export const STATE_COLORS: Record<NodeState, string> = { connecting: '#c9c9c9', connected: '#3a9a48', disconnected: '#e45756', closed: '#222222' }
export const FAULT_COLOR = '#6f4fc9'
/** nodes attached to no orchestrator, in the nodes-per-orchestrator chart */
export const UNATTACHED_COLOR = '#9a9a9a'

/** The failover metrics of a recovery curve, in the order a node goes through them. */
export const RECOVERY_METRICS = ['detect_ms', 'reconnect_ms', 'resume_ms'] as const
export type RecoveryMetric = (typeof RECOVERY_METRICS)[number]
export const RECOVERY_COLORS: Record<RecoveryMetric, string> = { detect_ms: '#e45756', reconnect_ms: '#4c78a8', resume_ms: '#3a9a48' }
export const RECOVERY_LABELS: Record<RecoveryMetric, string> = { detect_ms: 'detected', reconnect_ms: 'reconnected', resume_ms: 'resumed' }

/** A legend row of swatches, for the charts whose colours the page explains once. */
export const swatches = (items: readonly { color: string; label: string; opacity?: number; dashed?: boolean }[]): string =>
  `<div class="legend">${items
    .map(
      (i) =>
        `<span><span class="sw" style="background:${i.color}${i.opacity === undefined ? '' : `;opacity:${i.opacity}`}${i.dashed ? ';border-style:dashed' : ''}"></span>${esc(i.label)}</span>`,
    )
    .join('')}</div>`
