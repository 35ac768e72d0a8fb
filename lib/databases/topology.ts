/** Where the primary of a replicated database (the pod that takes writes) is. */
export enum PrimaryPlacement {
  /** Always pod 0 (`<name>-0`): the others replicate from it. */
  POD_ZERO = 'pod-zero',
  /** Whichever pod a leader election picks; the elector writes a role label onto each pod. */
  ELECTED = 'elected',
  /** No primary: every pod is an equal peer. */
  NONE = 'none',
}

/** How a leader election marks the pods (`DatabaseTopology.election`, for PostgreSQL under Patroni). */
export interface LeaderElectionOptions {
  /**
   * What elects the leader, as the prefix of its alert names and in runbook text: a capitalized
   * word such as `Patroni` (alerts `PatroniNoLeader`, `PatroniTwoLeaders`, ...).
   */
  readonly electedBy: string;
  /** The pod label the elector writes each member's role into; the pod template must not set it. */
  readonly roleLabel: string;
  /** The role label's value on the leader: `<name>-primary` selects it. */
  readonly primaryRole: string;
  /** The role label's value on a running replica: `<name>-replicas` selects it. */
  readonly replicaRole: string;
}

const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

/**
 * How the pods of a replicated database relate; the engine picks it. It is the one description of
 * where the primary is: the base names and points the client Services from it, and alerts and
 * runbooks choose their rules from it, so a new topology is a value here, not a copy of the base.
 */
export class DatabaseTopology {
  /**
   * Pod 0 is the primary (`<name>-primary` selects it), the others replicate from it;
   * `<name>-read` selects every pod (PostgreSQL, MySQL, Redis).
   */
  public static primaryReplicas(): DatabaseTopology {
    return new DatabaseTopology('primary-replicas', PrimaryPlacement.POD_ZERO);
  }

  /**
   * A leader election picks the primary among the pods and labels it (PostgreSQL under Patroni):
   * `<name>-primary` selects the leader's role label and `<name>-read` every pod; the elector's
   * resources create `<name>-replicas` (PatroniResources). Internal: the alerts and the runbook
   * of an elected primary are Patroni's, the one elector the library ships, so a custom engine
   * cannot claim this topology and get another elector's alerts.
   * @internal
   */
  public static _electedPrimary(election: LeaderElectionOptions): DatabaseTopology {
    return new DatabaseTopology('elected-primary', PrimaryPlacement.ELECTED, { ...election });
  }

  /**
   * Every pod is an equal peer and the pods elect their leader among themselves
   * (Elasticsearch, OpenSearch): one client Service `<name>` selects every ready pod, and it is
   * both the primary and the read Service.
   */
  public static peers(): DatabaseTopology {
    return new DatabaseTopology('peers', PrimaryPlacement.NONE);
  }

  private constructor(
    /** `primary-replicas`, `elected-primary` or `peers`. */
    public readonly kind: string,
    /** Where the primary is. */
    public readonly primary: PrimaryPlacement,
    /** How the election labels the pods, when the primary is elected. */
    public readonly election?: LeaderElectionOptions,
  ) {}

  /** Whether the primary is always pod 0 (false for an elected primary and for peers). */
  public get primaryIsPodZero(): boolean {
    return this.primary === PrimaryPlacement.POD_ZERO;
  }

  /** Whether there is one primary with its own read-write Service (false for peers). */
  public get hasPrimary(): boolean {
    return this.primary !== PrimaryPlacement.NONE;
  }

  /** The name of the read-write Service of the database `name`. */
  public primaryServiceName(name: string): string {
    return this.hasPrimary ? `${name}-primary` : name;
  }

  /** The name of the read Service (every pod) of the database `name`. */
  public readServiceName(name: string): string {
    return this.hasPrimary ? `${name}-read` : name;
  }

  /** The name of the Service of the replicas only, when the election labels them: `<name>-replicas` (created by the elector's resources, not the base). */
  public replicasServiceName(name: string): string | undefined {
    return this.election ? `${name}-replicas` : undefined;
  }

  /**
   * The pod labels the read-write Service selects besides the cluster's selector labels: pod 0's
   * name label (set by the StatefulSet controller), the leader's role label, or none for peers.
   */
  public primaryServiceSelector(name: string): { [key: string]: string } {
    if (this.election) return { [this.election.roleLabel]: this.election.primaryRole };
    return this.primaryIsPodZero ? { [POD_NAME_LABEL]: `${name}-0` } : {};
  }

  /** The pod labels the replicas Service selects besides the cluster's selector labels, when the election labels the replicas. */
  public replicasServiceSelector(): { [key: string]: string } | undefined {
    return this.election ? { [this.election.roleLabel]: this.election.replicaRole } : undefined;
  }
}
