import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { NetsimError } from '../core/errors.ts'
import { YamlFile } from './yaml-file.ts'

/** Scenarios are `scenarios/<name>.yaml`; a path to any .yaml file works too. */
export const listScenarios = (dir: string): string[] => {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .map((f) => f.replace(/\.ya?ml$/, ''))
      .sort()
  } catch {
    return []
  }
}

export const findScenario = (nameOrPath: string, dir: string): string => {
  if (/\.ya?ml$/.test(nameOrPath)) {
    const p = resolve(nameOrPath)
    if (existsSync(p)) return p
    throw new NetsimError('E_SCENARIO_NOT_FOUND', `scenario file ${nameOrPath} does not exist`)
  }
  for (const ext of ['.yaml', '.yml']) {
    const p = join(dir, nameOrPath + ext)
    if (existsSync(p)) return p
  }
  const known = listScenarios(dir)
  throw new NetsimError(
    'E_SCENARIO_NOT_FOUND',
    `unknown scenario "${nameOrPath}". Available: ${known.length > 0 ? known.join(', ') : `(none in ${dir})`}`,
  )
}

/** Each scenario of `dir` with the first line of its description ("(invalid file)" when it does not parse). */
export const describeScenarios = (dir: string): { name: string; description: string }[] =>
  listScenarios(dir).map((name) => {
    try {
      const data = YamlFile.read(join(dir, `${name}.yaml`)).data() as { description?: unknown }
      return { name, description: String(data.description ?? '').split('\n')[0] ?? '' }
    } catch {
      return { name, description: '(invalid file)' }
    }
  })
