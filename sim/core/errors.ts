/**
 * Every error netsim raises on purpose is a NetsimError with a stable `code`: callers and tests
 * branch on the code, the CLI maps it to an exit code, and the message says what to do.
 * Low-level errors are wrapped at the boundary and kept as `cause`.
 */
export type ErrorCode =
  | 'E_CONFIG' // a config or scenario file is malformed or invalid
  | 'E_SCENARIO_NOT_FOUND'
  | 'E_USAGE' // bad command-line input
  | 'E_NATS_SERVER_MISSING'
  | 'E_NATS_SERVER_START' // nats-server exited or never became ready
  | 'E_ORCHESTRATOR' // control plane failed
  | 'E_WORKER' // a compute worker process failed
  | 'E_TIMEOUT' // a wait_for step ran out of time
  | 'E_ASSERTION' // the scenario ran, its assertions failed
  | 'E_INTERRUPTED' // Ctrl-C / SIGTERM
  | 'E_ORCHESTRATOR_LIST' // an --orchestrators entry cannot be parsed
  | 'E_BACKEND_UNAVAILABLE' // the machine cannot run the backend (not root, no ip/nft, no engine)
  | 'E_BACKEND' // a backend command or engine call failed
  | 'E_BACKEND_UNSUPPORTED' // the backend has no such ability
  | 'E_BACKEND_PLAN' // the hosts cannot be laid out

export class NetsimError extends Error {
  readonly code: ErrorCode
  /** Where the problem is, when it comes from a file: `file:line:col`. */
  readonly where?: string

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; where?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'NetsimError'
    this.code = code
    if (options.where !== undefined) this.where = options.where
  }
}

export const isNetsimError = (e: unknown, code?: ErrorCode): e is NetsimError => e instanceof NetsimError && (code === undefined || e.code === code)

/** Exit codes of the CLI, by error code. 1 is reserved for "the scenario's assertions failed". */
export const exitCodeFor = (e: unknown): number => {
  if (!(e instanceof NetsimError)) return 70 // internal error (EX_SOFTWARE)
  switch (e.code) {
    case 'E_ASSERTION':
    case 'E_TIMEOUT':
      return 1
    case 'E_USAGE':
    case 'E_SCENARIO_NOT_FOUND':
    case 'E_ORCHESTRATOR_LIST':
      return 64 // EX_USAGE
    case 'E_CONFIG':
      return 65 // EX_DATAERR
    case 'E_NATS_SERVER_MISSING':
    case 'E_BACKEND_UNAVAILABLE':
    case 'E_BACKEND_UNSUPPORTED': // e.g. full runs on docker: not this machine's fault, not a bug either
      return 69 // EX_UNAVAILABLE
    case 'E_INTERRUPTED':
      return 130
    default:
      return 70
  }
}
