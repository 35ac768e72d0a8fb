/** Service fields cdk8s-plus-27 lacks (see patch.ts). */
import * as kplus from 'cdk8s-plus-27';
import { patch } from './patch';

/** `publishNotReadyAddresses` on a Service: peers must resolve each other before they are ready. */
export function setPublishNotReadyAddresses(service: kplus.Service): void {
  patch(service, '/spec/publishNotReadyAddresses', true);
}
