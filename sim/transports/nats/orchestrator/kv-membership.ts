import type { NatsConnection } from '@nats-io/transport-node'
import { Kvm, type KV } from '@nats-io/kv'
import { abandon } from '../../../core/abandon.ts'
import { sleep } from '../../../core/clock.ts'
import { natsErrorCode } from '../nats-error-code.ts'
import { MembershipError, type Membership, type MembershipStore, type NodeStateRecord } from './membership-store.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export interface KvMembershipOptions {
  /** `nodes` (v1.3.0) or `node_v1` (v1.3.1 on) */
  bucket: string
  /** 1 as Bacalhau creates it (only the bucket name is given, so the client's default) */
  replicas: number
  /** how long to keep trying while JetStream comes up (a cluster elects its metadata leader first) */
  readyTimeoutMs: number
}

/**
 * Node membership in a real JetStream key-value bucket, shared by the orchestrators of a
 * cluster (docs/design.md, "Orchestrator"), through nats.js's KV client. Every orchestrator
 * creates the bucket at start (creating an existing bucket opens it), with the name and the
 * replica count and nothing else, as Bacalhau does: history 1, file storage, no TTL. Requests
 * use the JetStream client's default 5 s timeout, as nats.go's does; while the server holding
 * the bucket's only replica is down, reads time out and writes find no responder.
 *
 * `known()` is fed by a watch of the bucket: every node any orchestrator wrote, with its
 * approval. (Bacalhau's node selector reads the bucket on each selection; netsim reads this
 * copy, so selection goes on with the last membership seen while the bucket is offline.)
 */
export class KvMembership implements MembershipStore {
  readonly #kv: KV
  readonly #known = new Map<string, Membership>()
  readonly #listeners: ((id: string) => void)[] = []
  #stopWatch: (() => void) | null = null

  private constructor(kv: KV) {
    this.#kv = kv
  }

  /** Creates (or opens) the bucket, retrying until JetStream answers or `readyTimeoutMs` passes. */
  static async open(nc: NatsConnection, opts: KvMembershipOptions): Promise<KvMembership> {
    const deadline = Date.now() + opts.readyTimeoutMs
    let last: unknown
    for (;;) {
      try {
        const kv = await new Kvm(nc).create(opts.bucket, { replicas: opts.replicas })
        const store = new KvMembership(kv)
        await store.#watch()
        return store
      } catch (err) {
        last = err
      }
      if (Date.now() > deadline) {
        throw new MembershipError(
          natsErrorCode(last),
          `the membership bucket ${opts.bucket} (${opts.replicas} replica${opts.replicas === 1 ? '' : 's'}) could not be created or opened within ${opts.readyTimeoutMs} ms: ${(last as Error)?.message}`,
          { cause: last },
        )
      }
      await sleep(250)
    }
  }

  async #watch(): Promise<void> {
    const watcher = await this.#kv.watch()
    this.#stopWatch = () => watcher.stop()
    const follow = async () => {
      for await (const e of watcher) {
        if (e.operation !== 'PUT') {
          this.#known.delete(e.key)
          continue
        }
        let membership: Membership | undefined
        try {
          membership = (JSON.parse(decoder.decode(e.value)) as NodeStateRecord).Membership
        } catch {
          continue
        }
        const first = !this.#known.has(e.key)
        this.#known.set(e.key, membership)
        if (first) for (const l of this.#listeners) l(e.key)
      }
    }
    abandon(follow(), 'the watch ends with the connection, when the control plane stops')
  }

  async get(id: string): Promise<NodeStateRecord | null> {
    try {
      const e = await this.#kv.get(id)
      if (e === null || e.operation !== 'PUT') return null
      return JSON.parse(decoder.decode(e.value)) as NodeStateRecord
    } catch (err) {
      throw new MembershipError(natsErrorCode(err), `failed to get node state from node store: ${(err as Error).message}`, { cause: err })
    }
  }

  async put(record: NodeStateRecord): Promise<void> {
    try {
      await this.#kv.put(record.Info.NodeID, encoder.encode(JSON.stringify(record)))
    } catch (err) {
      throw new MembershipError(natsErrorCode(err), `failed to write node state to node store: ${(err as Error).message}`, { cause: err })
    }
  }

  known(): ReadonlyMap<string, Membership> {
    return this.#known
  }

  onFirstSeen(listener: (id: string) => void): void {
    this.#listeners.push(listener)
  }

  async close(): Promise<void> {
    this.#stopWatch?.()
  }
}
