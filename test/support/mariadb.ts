/** Private MariaDB 10.11 servers (Debian mariadb-server) run as user mysql, as the official image's entrypoint leaves them. */
import * as fs from 'fs';
import * as path from 'path';
import { freePort, mustRunAs, runAs, waitFor, writeShared } from './run';

export const MARIADB_BINARIES: [string, string][] = [['/usr/sbin/mariadbd', 'mariadb-server'], ['/usr/bin/mariadb-dump', 'mariadb-client']];

export interface MariaDbServer {
  readonly port: number;
  readonly socket: string;
  /** Runs SQL as root over the socket; throws on an error; the output without column names. */
  sql(query: string): string;
}

/**
 * Servers under `dir` with root@'%' holding `rootPassword` (root@localhost over the socket needs
 * none), on 127.0.0.1 and a free port. `stopAll()` shuts every one down.
 */
export function mariadbServers(dir: string, rootPassword: string) {
  const sockets: string[] = [];
  function start(name: string): MariaDbServer {
    const base = path.join(dir, name);
    const port = freePort();
    const socket = path.join(base, 'mysqld.sock');
    mustRunAs('mysql', 'mkdir', ['-p', path.join(base, 'data')]);
    const cnf = writeShared(path.join(base, 'my.cnf'), `[mysqld]\ndatadir=${base}/data\nsocket=${socket}\nport=${port}\nbind-address=127.0.0.1\npid-file=${base}/mysqld.pid\nskip-name-resolve\n`);
    mustRunAs('mysql', '/usr/bin/mariadb-install-db', [`--defaults-file=${cnf}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
    runAs('mysql', '/bin/sh', ['-c', `nohup /usr/sbin/mariadbd --defaults-file=${cnf} >${base}/log 2>&1 &`]);
    // Generous: on a loaded 2-core machine InnoDB start-up has taken over a minute; the log says why on failure.
    const started = () => fs.existsSync(socket) && runAs('mysql', '/usr/bin/mariadb-admin', [`--socket=${socket}`, '-uroot', 'ping']).status === 0;
    try {
      waitFor(`${name} to accept connections`, started, 180_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}; server log:\n${fs.existsSync(`${base}/log`) ? fs.readFileSync(`${base}/log`, 'utf8').slice(-2000) : '(none)'}`);
    }
    sockets.push(socket);
    const sql = (query: string) => mustRunAs('mysql', '/usr/bin/mariadb', [`--socket=${socket}`, '--default-character-set=utf8mb4', '-uroot', '-N', '-B', '-e', query]).trim();
    mustRunAs('mysql', '/usr/bin/mariadb', [`--socket=${socket}`, '-uroot'], {}, `
      DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost'; DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;
      CREATE USER root@'%' IDENTIFIED BY '${rootPassword.replace(/'/g, "''")}'; GRANT ALL ON *.* TO root@'%' WITH GRANT OPTION;`);
    return { port, socket, sql };
  }
  function stopAll(): void {
    for (const socket of sockets) runAs('mysql', '/usr/bin/mariadb-admin', [`--socket=${socket}`, '-uroot', 'shutdown'], { MYSQL_PWD: rootPassword });
  }
  return { start, stopAll };
}
