import type { NatsConnection } from '@nats-io/transport-node'
import { Kvm, type KV } from '@nats-io/kv'
import { sleep } from '../../../core/clock.ts'
import { natsErrorCode } from '../nats-error-code.ts'
import { MembershipError, SeenNodes, type MembershipStore, type NodeStateRecord } from './membership-store.ts'

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
 * `known()` is what this orchestrator has read of the bucket: every node in it when it opened,
 * then every node it read or wrote since. As every orchestrator handles every management
 * request (no queue groups), that is every node in the bucket. (Bacalhau's node selector reads
 * the bucket on each selection; netsim reads this copy, which spares a read per job and
 * carries on with the last membership seen while the bucket is offline.)
 */
export class KvMembership extends SeenNodes implements MembershipStore {
  readonly #kv: KV

  private constructor(kv: KV) {
    super()
    this.#kv = kv
  }

  /** Creates (or opens) the bucket and reads what it holds, retrying until JetStream answers or `readyTimeoutMs` passes. */
  static async open(nc: NatsConnection, opts: KvMembershipOptions): Promise<KvMembership> {
    const deadline = Date.now() + opts.readyTimeoutMs
    let last: unknown
    for (;;) {
      try {
        const kv = await new Kvm(nc).create(opts.bucket, { replicas: opts.replicas })
        const store = new KvMembership(kv)
        for await (const key of await kv.keys()) await store.get(key)
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

  async get(id: string): Promise<NodeStateRecord | null> {
    try {
      const e = await this.#kv.get(id)
      if (e === null || e.operation !== 'PUT') return null
      const record = JSON.parse(decoder.decode(e.value)) as NodeStateRecord
      this.saw(id, record.Membership)
      return record
    } catch (err) {
      throw new MembershipError(natsErrorCode(err), `failed to get node state from node store: ${(err as Error).message}`, { cause: err })
    }
  }

  async put(record: NodeStateRecord): Promise<void> {
    try {
      await this.#kv.put(record.Info.NodeID, encoder.encode(JSON.stringify(record)))
      this.saw(record.Info.NodeID, record.Membership)
    } catch (err) {
      throw new MembershipError(natsErrorCode(err), `failed to write node state to node store: ${(err as Error).message}`, { cause: err })
    }
  }
}
