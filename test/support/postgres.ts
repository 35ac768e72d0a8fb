/** The directories, ports and helpers of a private primary/replica pair of PostgreSQL 15 servers run as user postgres. */
import * as path from 'path';
import { freePort, mustRunAs, runAs, tempDirFor } from './run';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export function postgresPair(prefix: string) {
  const dir = tempDirFor('postgres', prefix);
  const primaryPort = freePort();
  const socketDir = path.join(dir, 'sockets');
  const psql = (port: number, query: string) => ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', query];
  return {
    dir,
    primaryPort,
    replicaPort: primaryPort + 1,
    socketDir,
    settingsDir: path.join(dir, 'conf.d'),
    scriptsDir: path.join(dir, 'scripts'),
    primaryData: path.join(dir, 'primary', 'pgdata'),
    replicaData: path.join(dir, 'replica', 'pgdata'),
    /** Runs a command as postgres; throws on failure. */
    as: (cmd: string, args: string[], env: Record<string, string> = {}) => mustRunAs('postgres', cmd, args, env),
    /** One query's output; throws on an SQL error. */
    sql: (port: number, query: string) => mustRunAs('postgres', `${PG_BIN}/psql`, psql(port, query)).trim(),
    /** One query's output, '' on failure. */
    trySql: (port: number, query: string) => runAs('postgres', `${PG_BIN}/psql`, psql(port, query)).stdout.trim(),
  };
}
