/**
 * Bacalhau's registration lock (docs/design.md, "Compute node"): an empty file
 * `<nodeID>.registration.lock` in the compute node's store, written once an orchestrator
 * accepted its RegisterNode. A node that starts with it present skips RegisterNode altogether
 * and goes straight to its heartbeats.
 *
 * A simulated node's store is its worker process: the locks live in this module's memory, so
 * they outlast a node restarted in the same worker (`restart_nodes`), and go with the worker.
 */
const locks = new Set<string>()

export const registrationLock = {
  has: (nodeId: string): boolean => locks.has(nodeId),
  /** written after an accepted registration */
  set: (nodeId: string): void => void locks.add(nodeId),
  /** a node restarted with its store wiped (`registration_lock: remove`) */
  remove: (nodeId: string): void => void locks.delete(nodeId),
  /** the file's name in Bacalhau, for messages */
  fileName: (nodeId: string): string => `${nodeId}.registration.lock`,
}
