/**
 * What a run needs from its orchestrators, whichever the transport (docs/development.md,
 * "Transports"): a transport plugin (sim/transports/<name>) starts a Cluster of Members. Every
 * member can crash, stop, freeze and thaw, and answer an ask_for_bid; what only some transports
 * can do is a small optional interface here, found with a type guard, and declared as a
 * capability so a plan that needs it is refused before anything starts.
 */
export type MemberState = 'up' | 'frozen' | 'down'

export interface BidTally {
  asked: number
  ok: number
}

export interface Member {
  readonly name: string
  readonly state: MemberState
  /** the address nodes are given: NATS `host:port`, libp2p `/ip4/…/tcp/…/p2p/<id>` */
  readonly clientHostPort: string
  readonly pids: number[]
  /** SIGKILL: a crash */
  kill(): Promise<void>
  /** SIGTERM: a clean shutdown */
  stop(): Promise<void>
  /** SIGSTOP (a container: paused): sockets stay open and silent; resolves once frozen */
  freeze(): void | Promise<void>
  /** SIGCONT (a container: unpaused) */
  thaw(): void | Promise<void>
  /** asks each node (by id) for a bid: one `orch.bid` event per node */
  askForBid(nodes: string[], timeoutMs: number, metric: string): Promise<BidTally>
}

/** How a restart happens: `token` replaces the orchestrators' token (a rotation). */
export interface RestartOptions {
  token?: string
}

export interface Cluster {
  readonly members: readonly Member[]
  live(): Member[]
  get(name: string): Member | undefined
  /** a scale step: one more orchestrator, joined to the others */
  add(): Promise<Member>
  /** back on its old address with fresh state */
  restart(name: string, opts?: RestartOptions): Promise<void>
  /** every member down at once, then back */
  restartAll(opts?: RestartOptions): Promise<void>
  dispose(): Promise<void>
}

/**
 * What a transport may offer beyond the Member and Cluster above. Plans are checked against
 * these before a run starts (sim/config/requirements.ts): what the plan needs must be a subset
 * of what its transport and backend offer.
 */
export const TRANSPORT_CAPABILITIES = {
  'lame-duck': 'orchestrators can enter lame-duck mode (SIGUSR2: stop accepting, shed clients)',
  routes: 'orchestrators form a cluster over routes that another server can join',
  'token-auth': 'orchestrators require a token from clients',
  'token-rotation': 'orchestrators can restart with a new token',
  'orchestrator-templates': "nodes take Bacalhau's --orchestrators strings (token@host URLs)",
  'link-proxy': "nodes' traffic can go through per-group TCP proxies that rewrite the protocol's server gossip",
  placement: 'orchestrators and nodes can be started on another host (a network namespace)',
  'quiet-heartbeats': 'orchestrators report only the heartbeats that say something new until faults start',
  'membership-bucket': 'orchestrators keep node membership in a JetStream bucket held by some of their servers',
} as const
export type TransportCapability = keyof typeof TRANSPORT_CAPABILITIES

/** A member that can enter lame-duck mode (NATS: SIGUSR2 to its server). */
export interface LameDuckMember extends Member {
  lameDuck(): void | Promise<void>
}
export const canLameDuck = (m: Member): m is LameDuckMember => typeof (m as Partial<LameDuckMember>).lameDuck === 'function'

/** What an unauthenticated server saw when it joined the cluster's routes and listened. */
export interface RogueResult {
  /** it established a route into the cluster */
  joined: boolean
  /** messages of the cluster's traffic its own client saw in the window */
  messages: number
  /** ms from the rogue being ready to the first message seen; null when none */
  firstMs: number | null
  subjects: string[]
}

/** A cluster joined over routes (NATS), which another server may try to join. */
export interface RoutedCluster extends Cluster {
  /** a rogue server routes to a live member and listens for `windowMs`; null: no member is clustered */
  probeRogue(windowMs: number): Promise<RogueResult | null>
}
export const hasRoutes = (c: Cluster): c is RoutedCluster => typeof (c as Partial<RoutedCluster>).probeRogue === 'function'

/** A cluster whose orchestrators report every heartbeat only when asked (NATS at 10,000 nodes). */
export interface QuietCluster extends Cluster {
  setVerbose(on: boolean): void
}
export const isQuiet = (c: Cluster): c is QuietCluster => typeof (c as Partial<QuietCluster>).setVerbose === 'function'

/** Where a cluster's node membership is held: its bucket, the servers with a replica, and the leader among them. */
export interface MembershipPlacement {
  bucket: string
  /** replicas the bucket was created with */
  replicas: number
  /** the orchestrator whose server leads the bucket (with one replica: the only one holding it); null when none does */
  leader: string | null
  /** the orchestrators whose servers hold a replica */
  holders: string[]
}

/** A cluster whose orchestrators share node membership in a bucket (NATS: JetStream KV). */
export interface MembershipCluster extends Cluster {
  membershipPlacement(): Promise<MembershipPlacement | null>
}
export const hasMembership = (c: Cluster): c is MembershipCluster => typeof (c as Partial<MembershipCluster>).membershipPlacement === 'function'
