/** Logstash's persisted queue and the volume it lives on. */
import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';

/** Options of a persisted queue. */
export interface PersistentQueueOptions {
  /**
   * The most the queue holds on disk (`queue.max_bytes`); inputs are paused when it is full.
   * @default Size.gibibytes(1)
   */
  readonly maxBytes?: Size;
}

/**
 * Where Logstash's persisted queue (`queue.type: persisted`) lives. Events are written to disk
 * before an input acknowledges them, so a crash or OOM kill of the process loses nothing.
 */
export class LogstashPersistentQueue {
  /**
   * On an emptyDir of the pod: survives restarts of the container (a crash, an OOM kill, a
   * liveness restart), not the deletion of the pod, so the queue is drained on shutdown
   * (`queue.drain: true`). Works with any number of replicas and with autoscaling.
   */
  public static emptyDir(options: PersistentQueueOptions = {}): LogstashPersistentQueue {
    return new LogstashPersistentQueue(options.maxBytes ?? Size.gibibytes(1), undefined);
  }
  /**
   * On an existing ReadWriteOnce PersistentVolumeClaim: survives the pod too. One claim holds
   * one queue, so this needs `replicas: 1` (no autoscaling), and updates Recreate the pod (a
   * surge pod could not attach the volume). For one durable queue per replica, a StatefulSet
   * with claim templates is needed, which this Deployment-based construct does not build.
   */
  public static persistentVolumeClaim(claim: kplus.IPersistentVolumeClaim, options: PersistentQueueOptions = {}): LogstashPersistentQueue {
    return new LogstashPersistentQueue(options.maxBytes ?? Size.gibibytes(1), claim);
  }
  private constructor(
    /** `queue.max_bytes`. */
    public readonly maxBytes: Size,
    private readonly claim: kplus.IPersistentVolumeClaim | undefined,
  ) {}

  /**
   * The claim, when the queue is on one.
   * @internal
   */
  public get _claim(): kplus.IPersistentVolumeClaim | undefined {
    return this.claim;
  }

  /**
   * The emptyDir's size limit: the queue plus one 64 MiB page and checkpoints, node UUID, dead letters.
   * @internal
   */
  public _dataSizeLimit(): Size {
    return Size.mebibytes(this.maxBytes.toMebibytes() + 256);
  }
}
