/** Bounded polling: every wait in the cluster tests has a timeout and reports the last state seen. */

export interface Observation<T> {
  /** true when the wait is over */
  done: boolean;
  /** what was observed, shown in the timeout message */
  state: string;
  value?: T;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` every `intervalMs` until it reports done, or throws after `timeoutMs` with the
 * description and the last observed state. A probe that throws counts as "not done" (the error
 * becomes the observed state), so a server that is still starting is retried.
 */
export async function waitFor<T>(
  description: string,
  timeoutMs: number,
  probe: () => Promise<Observation<T>> | Observation<T>,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '(nothing observed yet)';
  for (;;) {
    try {
      const observation = await probe();
      last = observation.state;
      if (observation.done) return observation.value as T;
    } catch (e) {
      last = `error: ${(e as Error).message}`;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${description}; last observed: ${last}`);
    }
    await sleep(intervalMs);
  }
}
