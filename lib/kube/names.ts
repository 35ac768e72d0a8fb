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

/** DNS labels (pod names, hostnames, label values) allow at most 63 characters. */
export const MAX_DNS_LABEL = 63;

/**
 * The longest StatefulSet name that works: the controller labels every pod with
 * `controller-revision-hash: <name>-<10 characters>`, and label values allow 63.
 */
export const MAX_STATEFULSET_NAME = 52;

/** The CronJob controller names Jobs `<name>-<8 digits>` and their pods add `-xxxxx`: 52 + 11 = 63. */
export const MAX_CRONJOB_NAME = 52;

/** The random suffix the Job controller appends to pod names. */
export const JOB_POD_SUFFIX = '-xxxxx';

/**
 * Why a Job name would make the controller's pod names invalid, or undefined: pods are named
 * `<name>[-<index>]-xxxxx`, and pod hostnames and the `job-name` label are DNS labels.
 * `largestIndex` is the highest completion index of an Indexed Job.
 */
export function jobNameProblem(name: string, largestIndex?: number): string | undefined {
  const problem = dnsLabelProblem(name);
  if (problem) return problem;
  const podName = `${name}${largestIndex === undefined ? '' : `-${largestIndex}`}${JOB_POD_SUFFIX}`;
  if (podName.length > MAX_DNS_LABEL) return `makes pod names like "${podName}" ${podName.length} characters long; at most ${MAX_DNS_LABEL} are allowed`;
  return undefined;
}

/** Why a CronJob name would make its Jobs' pod names invalid, or undefined. */
export function cronJobNameProblem(name: string): string | undefined {
  const problem = dnsLabelProblem(name, MAX_CRONJOB_NAME);
  if (problem && name.length > MAX_CRONJOB_NAME) return `${problem} (the CronJob controller appends 11 characters to Job and pod names, which must stay within ${MAX_DNS_LABEL})`;
  return problem;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** registry[:port]/path[:tag][@digest], lowercase path: what the kubelet and registries accept. */
const IMAGE_REFERENCE = /^([a-zA-Z0-9.-]+(:[0-9]+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** Container env var names: letters, digits, "_", "-", "."; not starting with a digit. */
export function envNameProblem(name: string): string | undefined {
  return ENV_NAME.test(name) ? undefined : 'must consist of letters, digits, "_", "-" or "." and must not start with a digit';
}

/** Keys of a Secret or ConfigMap (secretKeyRef, mounted items). */
export function secretKeyProblem(key: string): string | undefined {
  if (key.length > 253) return `is ${key.length} characters long; at most 253 are allowed`;
  return SECRET_KEY.test(key) ? undefined : 'must consist of letters, digits, "-", "_" or "."';
}

/** Qualified names (pod condition types, label keys): an optional DNS-subdomain prefix and a name of at most 63 characters. */
export function qualifiedNameProblem(name: string): string | undefined {
  const local = name.slice(name.lastIndexOf('/') + 1);
  if (local.length > 63) return `has a name part of ${local.length} characters; at most 63 are allowed`;
  return QUALIFIED_NAME.test(name) ? undefined : 'must be alphanumeric, "-", "_" or ".", start and end alphanumeric, with an optional DNS prefix and "/"';
}

/** An image reference the kubelet can pull: no whitespace, lowercase repository path. */
export function imageReferenceProblem(image: string): string | undefined {
  if (/\s/.test(image)) return 'contains whitespace';
  return IMAGE_REFERENCE.test(image) ? undefined : 'is not a valid image reference (registry/repository:tag, the repository in lowercase)';
}

/** Why a CIDR would be rejected by the API server (NetworkPolicy ipBlock), or undefined. */
export function cidrProblem(cidr: string): string | undefined {
  const [address, bits, extra] = cidr.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return 'is not a CIDR (address/prefix length)';
  const prefix = Number(bits);
  if (address.includes(':')) {
    if (!/^[0-9a-fA-F:]+$/.test(address) || (address.match(/::/g) ?? []).length > 1 || address.split(':').some((g) => g.length > 4)) return 'has an invalid IPv6 address';
    return prefix <= 128 ? undefined : `has a prefix length of ${prefix}; IPv6 allows at most 128`;
  }
  const octets = address.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return 'has an invalid IPv4 address (four numbers 0-255)';
  return prefix <= 32 ? undefined : `has a prefix length of ${prefix}; IPv4 allows at most 32`;
}
