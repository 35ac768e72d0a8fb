/**
 * How the pods of a replicated database relate; the engine picks it. The base builds the client
 * Services from it, so a new topology is a value here, not a copy of the base.
 */
export class DatabaseTopology {
  /**
   * Pod 0 is the primary (`<name>-primary` selects it), the others replicate from it;
   * `<name>-read` selects every pod (PostgreSQL, MySQL, Redis).
   */
  public static primaryReplicas(): DatabaseTopology {
    return new DatabaseTopology('primary-replicas', true);
  }

  /**
   * Every pod is an equal peer and the pods elect their leader among themselves
   * (Elasticsearch, OpenSearch): one client Service `<name>` selects every ready pod, and it is
   * both the primary and the read Service.
   */
  public static peers(): DatabaseTopology {
    return new DatabaseTopology('peers', false);
  }

  private constructor(
    /** `primary-replicas` or `peers`. */
    public readonly kind: string,
    /** Whether the primary Service selects pod 0 only. */
    public readonly primaryIsPodZero: boolean,
  ) {}

  /** The name of the read-write Service of the database `name`. */
  public primaryServiceName(name: string): string {
    return this.primaryIsPodZero ? `${name}-primary` : name;
  }

  /** The name of the read Service (every pod) of the database `name`. */
  public readServiceName(name: string): string {
    return this.primaryIsPodZero ? `${name}-read` : name;
  }
}
