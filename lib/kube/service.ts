/** Service fields cdk8s-plus-27 lacks (see patch.ts). */
import * as kplus from 'cdk8s-plus-27';
import { patch } from './patch';

/** `publishNotReadyAddresses` on a Service: peers must resolve each other before they are ready. */
export function setPublishNotReadyAddresses(service: kplus.Service): void {
  patch(service, '/spec/publishNotReadyAddresses', true);
}

/**
 * A Service's DNS name: fully qualified when the namespace is known (it resolves from every
 * namespace), else the bare name (it resolves only from the Service's own namespace).
 */
export function serviceHost(service: string, namespace: string | undefined, clusterDomain: string): string {
  return namespace ? `${service}.${namespace}.svc.${clusterDomain}` : service;
}
