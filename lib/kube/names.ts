/** Name rules of the Kubernetes API server (apimachinery validation), shared by constructs and the test harness. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** DNS-1123 label: StatefulSet names, pod hostnames, most name parts. At most 63 characters. */
export function dnsLabelProblem(name: string, max = 63): string | undefined {
  if (name.length > max) return `is ${name.length} characters long; at most ${max} are allowed`;
  if (!DNS_LABEL.test(name)) return 'must be lowercase alphanumeric or "-", and start and end alphanumeric';
  return undefined;
}

/** DNS-1035 label: Service names (must start with a letter). */
export function serviceNameProblem(name: string): string | undefined {
  if (name.length > 63) return `is ${name.length} characters long; Service names allow at most 63`;
  if (!DNS_1035_LABEL.test(name)) return 'must start with a letter and be lowercase alphanumeric or "-"';
  return undefined;
}

/** DNS-1123 subdomain: ConfigMaps, Secrets, most other kinds. At most 253 characters. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length > 253) return `is ${name.length} characters long; at most 253 are allowed`;
  if (!DNS_SUBDOMAIN.test(name)) return 'must be lowercase alphanumeric, "-" or ".", and start and end alphanumeric';
  return undefined;
}

/** Container and Service port names: IANA service names, at most 15 characters, one letter at least. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return `is ${name.length} characters long; port names allow at most 15`;
  if (!IANA_SVC_NAME.test(name) || name.includes('--') || !/[a-z]/.test(name)) {
    return 'must be lowercase alphanumeric or "-", contain a letter and no "--"';
  }
  return undefined;
}
