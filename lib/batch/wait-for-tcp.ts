/**
 * The init script that holds a pod until a TCP endpoint accepts connections.
 *
 * POSIX sh for busybox (the default image), dash and bash. The connection check is
 * `nc -z -w <seconds> host port`, which busybox's nc supports (its default config builds the
 * nc 1.10 compatible applet); tests put an `nc` with the same semantics first on PATH where the
 * machine has none. Everything comes from env vars, so the text is constant (shellcheck once,
 * no quoting of user input into shell) and contains no `$(NAME)` or `$$` that Kubernetes'
 * command expansion would rewrite.
 */
export const WAIT_FOR_TCP_SCRIPT = `set -eu
host="\${WAIT_HOST:?WAIT_HOST must name the host to wait for}"
port="\${WAIT_PORT:?WAIT_PORT must name the TCP port to wait for}"
timeout="\${WAIT_TIMEOUT_SECONDS:-300}"
interval="\${WAIT_INTERVAL_SECONDS:-2}"
deadline=$(( $(date +%s) + timeout ))
until nc -z -w "$interval" "$host" "$port" >/dev/null 2>&1; do
  if [ "$(date +%s)" -gt "$deadline" ]; then
    echo "gave up after \${timeout}s: $host:$port does not accept connections" >&2
    exit 1
  fi
  echo "waiting for $host:$port to accept connections"
  sleep "$interval"
done
echo "$host:$port accepts connections"
`;

/** Env var names the script reads. */
export const WAIT_HOST_ENV = 'WAIT_HOST';
export const WAIT_PORT_ENV = 'WAIT_PORT';
export const WAIT_TIMEOUT_ENV = 'WAIT_TIMEOUT_SECONDS';
export const WAIT_INTERVAL_ENV = 'WAIT_INTERVAL_SECONDS';

/** The literal env of a wait container. */
export function waitForTcpEnv(host: string, port: number, timeoutSeconds: number, intervalSeconds = 2): Record<string, string> {
  return {
    [WAIT_HOST_ENV]: host,
    [WAIT_PORT_ENV]: String(port),
    [WAIT_TIMEOUT_ENV]: String(timeoutSeconds),
    [WAIT_INTERVAL_ENV]: String(intervalSeconds),
  };
}
