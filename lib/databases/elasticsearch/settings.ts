import { ElasticsearchFlavor } from './flavor';

/** A settings value: YAML is a superset of JSON for scalars and flow sequences, so JSON renders it. */
export type SettingValue = string | number | boolean | string[];

/** What the settings file of a cluster depends on. */
export interface SettingsInput {
  readonly clusterName: string;
  readonly headlessService: string;
  readonly httpPort: number;
  readonly transportPort: number;
  readonly allowMmap: boolean;
  readonly nodesDn: string[];
  readonly extra: Record<string, string>;
}

/** The security settings: TLS on transport and HTTP with the mounted certificates (paths relative to the config directory). */
export function securitySettings(flavor: ElasticsearchFlavor, nodesDn: string[]): Record<string, SettingValue> {
  const cert = 'certs/tls.crt';
  const key = 'certs/tls.key';
  const ca = 'certs/ca.crt';
  if (flavor.family === 'opensearch') {
    return {
      'plugins.security.ssl.transport.pemcert_filepath': cert,
      'plugins.security.ssl.transport.pemkey_filepath': key,
      'plugins.security.ssl.transport.pemtrustedcas_filepath': ca,
      // Pods reach each other by IP: the CA and the node DN are checked, not a hostname.
      'plugins.security.ssl.transport.enforce_hostname_verification': false,
      'plugins.security.ssl.http.enabled': true,
      'plugins.security.ssl.http.pemcert_filepath': cert,
      'plugins.security.ssl.http.pemkey_filepath': key,
      'plugins.security.ssl.http.pemtrustedcas_filepath': ca,
      'plugins.security.nodes_dn': nodesDn,
      // The first node to start creates the security index from config/opensearch-security.
      'plugins.security.allow_default_init_securityindex': true,
      'plugins.security.restapi.roles_enabled': ['all_access', 'security_rest_api_access'],
    };
  }
  return {
    'xpack.security.enabled': true,
    'xpack.security.transport.ssl.enabled': true,
    // Pods reach each other by IP: the CA is checked, not a hostname.
    'xpack.security.transport.ssl.verification_mode': 'certificate',
    'xpack.security.transport.ssl.key': key,
    'xpack.security.transport.ssl.certificate': cert,
    'xpack.security.transport.ssl.certificate_authorities': [ca],
    'xpack.security.http.ssl.enabled': true,
    'xpack.security.http.ssl.key': key,
    'xpack.security.http.ssl.certificate': cert,
    'xpack.security.http.ssl.certificate_authorities': [ca],
  };
}

/**
 * The settings file (elasticsearch.yml or opensearch.yml). cluster.initial_master_nodes is not
 * here on purpose: start.sh passes it only while bootstrapping.
 */
export function renderSettings(flavor: ElasticsearchFlavor, input: SettingsInput): string {
  const settings: Record<string, SettingValue> = {
    'cluster.name': input.clusterName,
    // The server substitutes ${POD_NAME}: node names are the pod names start.sh bootstraps with.
    'node.name': '${POD_NAME}',
    'network.host': '0.0.0.0',
    'http.port': input.httpPort,
    'transport.port': input.transportPort,
    // Every pod behind the headless Service (ready or not), resolved by the server.
    'discovery.seed_hosts': [input.headlessService],
    'node.store.allow_mmap': input.allowMmap,
    ...securitySettings(flavor, input.nodesDn),
    ...input.extra,
  };
  return Object.entries(settings).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join('\n') + '\n';
}
