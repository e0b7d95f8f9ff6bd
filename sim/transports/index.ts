import type { TransportName } from '../plan/run-plan.ts'
import { libp2p } from './libp2p/index.ts'
import { nats } from './nats/index.ts'
import type { TransportPlugin } from './transport.ts'

export type { TransportPlugin, TransportEnv, RunSecrets, SimNode } from './transport.ts'

/** The transports, by name (`--network`, `transport:`). */
export const TRANSPORTS: Record<TransportName, TransportPlugin> = {
  nats: nats as unknown as TransportPlugin,
  libp2p: libp2p as unknown as TransportPlugin,
}

export const transportPlugin = (name: TransportName): TransportPlugin => TRANSPORTS[name]
