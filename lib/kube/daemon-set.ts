/** DaemonSet fields cdk8s-plus-27 lacks (see patch.ts). */
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { patch } from './patch';

/** A DaemonSet update strategy. Percent values are strings like "10%"; numbers are pod counts. */
export interface DaemonSetRollingUpdate {
  readonly maxUnavailable: k8s.IntOrString;
  readonly maxSurge: k8s.IntOrString;
}

/** `updateStrategy` on a DaemonSet: RollingUpdate with the given bounds, or OnDelete when undefined. */
export function setDaemonSetUpdateStrategy(ds: kplus.DaemonSet, rollingUpdate: DaemonSetRollingUpdate | undefined): void {
  patch(ds, '/spec/updateStrategy', rollingUpdate
    ? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: rollingUpdate.maxUnavailable, maxSurge: rollingUpdate.maxSurge } }
    : { type: 'OnDelete' });
}
