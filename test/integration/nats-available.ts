import { findNatsServer } from '../../sim/platform/nats-server-binary.ts'

/**
 * Tests against real servers skip, with the reason printed, where nats-server is missing.
 * `npm run setup` installs it.
 */
export const natsServerBin = (): string | null => {
  try {
    return findNatsServer()
  } catch {
    return null
  }
}

export const skipWithoutNats = (): { skip: string } | Record<string, never> =>
  natsServerBin() === null ? { skip: 'nats-server not found (run `npm run setup` or set NATS_SERVER_BIN)' } : {}
