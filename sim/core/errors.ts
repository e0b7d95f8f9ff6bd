/**
 * Every error netsim raises on purpose is a NetsimError with a stable `code`: callers and tests
 * branch on the code, the CLI maps it to an exit code (docs/development.md, "Errors and exit
 * codes"), and the message says what to do. Low-level errors are wrapped at the boundary and
 * kept as `cause`.
 */
export const ERROR_CODES = {
  E_USAGE: 'bad command-line input',
  E_SCENARIO_NOT_FOUND: 'no scenario of that name or path',
  E_ORCHESTRATOR_LIST: 'an --orchestrators entry cannot be parsed',
  E_CONFIG: 'a scenario, config or report file is malformed or invalid',
  E_NATS_SERVER_MISSING: 'no nats-server binary',
  E_GOREF_UNAVAILABLE: 'the nats.go reference client cannot be built here (no Go toolchain, or no Debian nats.go sources)',
  E_BACKEND_UNAVAILABLE: 'this machine cannot run the backend (not root, no ip/nft, no engine)',
  E_BACKEND_UNSUPPORTED: 'the backend has no such ability',
  E_UNSUPPORTED: 'the transport or backend lacks a capability the run asked for',
  E_NATS_SERVER_START: 'a nats-server exited or never became ready',
  E_CONTROL_PLANE: "an orchestrator's control plane (or libp2p host) failed",
  E_WORKER: 'a compute worker or link process failed',
  E_FAULT_TARGET: "a fault's target does not exist or is not up",
  E_BACKEND: 'a backend command or engine call failed',
  E_BACKEND_PLAN: 'the hosts cannot be laid out',
  E_TIMEOUT: 'a readiness wait of netsim itself ran past its deadline (a cluster mesh, a process start)',
  E_RUN_LOCK: "the run's lock (its liveness, seen by every reaper) could not be taken",
  E_REPORT: 'the report could not be written',
  E_ASSERTION: 'the scenario ran, its assertions failed',
  E_INTERRUPTED: 'Ctrl-C or SIGTERM',
} as const

export type ErrorCode = keyof typeof ERROR_CODES

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

/**
 * Exit codes of the CLI (sysexits.h where one fits). 1 is reserved for "the run finished and
 * something it checks failed"; 70 is an internal error (a bug, or a failure netsim has no
 * better code for).
 */
export const EXIT_CODES: Record<ErrorCode, number> = {
  E_ASSERTION: 1,
  E_USAGE: 64, // EX_USAGE
  E_SCENARIO_NOT_FOUND: 64,
  E_ORCHESTRATOR_LIST: 64,
  E_CONFIG: 65, // EX_DATAERR
  E_NATS_SERVER_MISSING: 69, // EX_UNAVAILABLE
  E_GOREF_UNAVAILABLE: 69,
  E_BACKEND_UNAVAILABLE: 69,
  E_BACKEND_UNSUPPORTED: 69,
  E_UNSUPPORTED: 69,
  E_NATS_SERVER_START: 70, // EX_SOFTWARE
  E_CONTROL_PLANE: 70,
  E_WORKER: 70,
  E_FAULT_TARGET: 70,
  E_BACKEND: 70,
  E_BACKEND_PLAN: 70,
  E_RUN_LOCK: 70,
  E_REPORT: 73, // EX_CANTCREAT
  E_TIMEOUT: 75, // EX_TEMPFAIL: the machine was too slow or too busy; try again
  E_INTERRUPTED: 130,
}

export const exitCodeFor = (e: unknown): number => (e instanceof NetsimError ? EXIT_CODES[e.code] : 70)
