/** Reading workload state from the API server. */
import { cluster } from './env';
import { waitFor } from './wait';

export const isReady = (pod: any) => (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
export const readyTime = (pod: any) => Date.parse(pod.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime);
export const created = (o: any) => Date.parse(o.metadata.creationTimestamp);

export const pods = (ns: string, selector?: string) => cluster().api.list(`/api/v1/namespaces/${ns}/pods`, selector);
export const get = (path: string) => cluster().api.get(path);
export const sts = (ns: string, name: string) => get(`/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`);
export const ds = (ns: string, name: string) => get(`/apis/apps/v1/namespaces/${ns}/daemonsets/${name}`);
export const job = (ns: string, name: string) => get(`/apis/batch/v1/namespaces/${ns}/jobs/${name}`);

/** "k=v,k2=v2" from a matchLabels map. */
export const selectorOf = (matchLabels: Record<string, string>) => Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');

/** Why the scheduler has not placed a pod yet (its PodScheduled condition), or ''. */
const unscheduledReason = (p: any) => {
  const c = (p.status?.conditions ?? []).find((x: any) => x.type === 'PodScheduled' && x.status === 'False');
  return c ? ` (${c.reason}: ${c.message})` : '';
};
export const podSummary = (p: any) => `${p.metadata.name}@${p.spec.nodeName ?? '-'}:${p.status?.phase}${isReady(p) ? '/ready' : ''}${unscheduledReason(p)}`;

/** Waits for a StatefulSet to have readyReplicas === replicas and the current revision everywhere. */
export async function waitStatefulSetReady(ns: string, name: string, timeoutMs = 180_000): Promise<any> {
  return waitFor(`StatefulSet ${ns}/${name} ready`, timeoutMs, async () => {
    const s = await sts(ns, name);
    const st = s.status ?? {};
    const list = await pods(ns, selectorOf(s.spec.selector.matchLabels));
    return {
      done: st.observedGeneration === s.metadata.generation && st.readyReplicas === s.spec.replicas && st.updatedReplicas === s.spec.replicas,
      state: `status ${JSON.stringify(st)}; pods ${list.map(podSummary).join(' ')}`,
      value: s,
    };
  }, 500);
}

export function jobCondition(j: any, type: string): boolean {
  return (j.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');
}

export async function waitJobComplete(ns: string, name: string, timeoutMs = 180_000): Promise<any> {
  return waitFor(`Job ${ns}/${name} Complete`, timeoutMs, async () => {
    const j = await job(ns, name);
    if (jobCondition(j, 'Failed')) throw new Error(`Job ${name} failed: ${JSON.stringify(j.status)}`);
    return { done: jobCondition(j, 'Complete'), state: JSON.stringify(j.status), value: j };
  }, 500);
}
