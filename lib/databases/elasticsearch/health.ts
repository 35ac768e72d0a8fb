/** The health a new pod waits for before it is ready (`wait_for_status`). */
export enum ClusterHealthStatus {
  /** Every shard has all its copies: a rolling restart moves on only when nothing is left degraded. */
  GREEN = 'green',
  /** Every primary is assigned: for a single node, whose replicas can never be assigned. */
  YELLOW = 'yellow',
}
