import { isNetsimError } from '../../sim/core/errors.ts'
import { buildGoref, type GorefBinary } from '../../sim/fleet/goref-build.ts'
import { natsServerBin } from './nats-available.ts'

/**
 * Tests with real nats.go clients need nats-server, a Go toolchain and Debian's nats.go sources
 * (`npm run setup` installs them as root on Debian): skip, with the reason printed, where any is
 * missing. The first call builds the reference client (cached across runs).
 */
export const goref = async (): Promise<GorefBinary | null> => {
  try {
    return await buildGoref()
  } catch (e) {
    if (isNetsimError(e, 'E_GOREF_UNAVAILABLE')) return null
    throw e
  }
}

export const skipWithoutGoref = async (): Promise<{ skip: string } | Record<string, never>> => {
  if (natsServerBin() === null) return { skip: 'nats-server not found (run `npm run setup` or set NATS_SERVER_BIN)' }
  try {
    await buildGoref()
    return {}
  } catch (e) {
    if (isNetsimError(e, 'E_GOREF_UNAVAILABLE')) return { skip: e.message }
    throw e
  }
}
