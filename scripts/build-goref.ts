/**
 * Builds the nats.go reference client (sim/fleet/goref/) into its cache, or finds it built:
 * `npm run setup` calls it so that the first calibration does not pay for the build.
 */
import { buildGoref } from '../sim/fleet/goref-build.ts'

const started = Date.now()
const g = await buildGoref()
process.stdout.write(
  `setup: nats.go reference client: ${g.path} (nats.go ${g.versions.nats_go}, ${g.versions.go}; ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
)
