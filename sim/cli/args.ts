import type { Argv } from 'yargs'

/** `time-scale` → `timeScale`, as yargs gives option names to handlers. */
type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S

/** Properties whose type admits undefined become optional: what a caller of a command must pass. */
type Optionalise<T> = { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] } & { [K in keyof T as undefined extends T[K] ? never : K]: T[K] }

/**
 * The arguments a command's builder declares, under the camelCase names commands use, the ones
 * that may be absent optional: commands take this, so a builder's options and its command's
 * parameters cannot drift apart.
 */
export type ArgsOf<B extends (y: Argv) => Argv<unknown>> = B extends (y: Argv) => Argv<infer T>
  ? Optionalise<{ [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] }>
  : never
