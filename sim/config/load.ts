import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { NetsimError } from '../core/errors.ts'
import { settingsSchema, type Settings } from './settings-schema.ts'
import { YamlFile } from './yaml-file.ts'

/** The harness config as loaded: its settings, and the file they came from (null: none). */
export interface HarnessConfig {
  settings: Settings
  file: string | null
}

export const DEFAULT_CONFIG_FILE = 'harness.config.yaml'

/**
 * harness.config.yaml, the one loader every command uses (scenario, compare, regress, baseline).
 * `file` given (--config): it must exist, else E_CONFIG naming it; undefined: ./harness.config.yaml
 * when there is one, else no settings; null: none at all. Validated with file:line errors.
 */
export const loadHarnessConfig = (file?: string | null): HarnessConfig => {
  if (file === null) return { settings: {}, file: null }
  if (file === undefined) {
    const dflt = resolve(DEFAULT_CONFIG_FILE)
    return existsSync(dflt) ? { settings: YamlFile.read(dflt).validate(settingsSchema), file: dflt } : { settings: {}, file: null }
  }
  const path = resolve(file)
  if (!existsSync(path))
    throw new NetsimError(
      'E_CONFIG',
      `--config ${file}: no such file (the harness config; without --config, ./${DEFAULT_CONFIG_FILE} is used when present)`,
    )
  return { settings: YamlFile.read(path).validate(settingsSchema), file: path }
}
