/**
 * A runnable OpenSearch 2.19.6 installation built from Maven Central jars (there is no
 * Elasticsearch or OpenSearch in Debian, and no container runtime here): the server jar and its
 * dependencies in lib/, the transport-netty4 module with the descriptor and security policy the
 * distribution would ship. No security plugin (it is not on Maven Central), so the nodes speak
 * plain HTTP without authentication. Cached in $TMPDIR/cdk8s-workloads-opensearch-2.19.6 (the server runs
 * as an unprivileged user, who cannot read root's home).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const OPENSEARCH_VERSION = '2.19.6';
const HOME = path.join(os.tmpdir(), `cdk8s-workloads-opensearch-${OPENSEARCH_VERSION}`);

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>opensearch-for-tests</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.opensearch</groupId><artifactId>opensearch</artifactId><version>${OPENSEARCH_VERSION}</version></dependency>
    <dependency><groupId>org.opensearch</groupId><artifactId>opensearch-plugin-classloader</artifactId><version>${OPENSEARCH_VERSION}</version></dependency>
    <dependency><groupId>org.opensearch.plugin</groupId><artifactId>transport-netty4-client</artifactId><version>${OPENSEARCH_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.25.4</version></dependency>
  </dependencies>
</project>
`;

const DESCRIPTOR = `description=Netty 4 based transport implementation
version=${OPENSEARCH_VERSION}
name=transport-netty4
classname=org.opensearch.transport.Netty4Plugin
java.version=11
opensearch.version=${OPENSEARCH_VERSION}
extended.plugins=
has.native.controller=false
`;

// The distribution's module grants these to netty (sockets, reflection).
const POLICY = `grant {
  permission java.net.SocketPermission "*", "accept,connect,resolve";
  permission java.lang.RuntimePermission "setContextClassLoader";
  permission java.lang.RuntimePermission "accessDeclaredMembers";
  permission java.lang.reflect.ReflectPermission "suppressAccessChecks";
  permission java.util.PropertyPermission "*", "read,write";
};
`;

const LOG4J = `status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
`;

/** The installation directory, built on first use (mvn downloads about 60 MB once). */
export function openSearchHome(): string {
  if (fs.existsSync(path.join(HOME, 'ready'))) return HOME;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opensearch-build-'));
  fs.writeFileSync(path.join(work, 'pom.xml'), POM);
  const jars = path.join(work, 'jars');
  const mvn = spawnSync('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${jars}`], { cwd: work, encoding: 'utf8', timeout: 540_000 });
  if (mvn.status !== 0) throw new Error(`mvn could not fetch OpenSearch ${OPENSEARCH_VERSION} from Maven Central:\n${mvn.stdout}\n${mvn.stderr}`);
  const module = path.join(HOME, 'modules', 'transport-netty4');
  // bin/ must exist: the server's security policy grants read access to it and creates it otherwise.
  for (const dir of [path.join(HOME, 'lib'), path.join(HOME, 'bin'), module, path.join(HOME, 'config'), path.join(HOME, 'plugins')]) fs.mkdirSync(dir, { recursive: true });
  for (const jar of fs.readdirSync(jars)) {
    const inModule = jar.startsWith('netty-') || jar.startsWith('transport-netty4-client-');
    fs.copyFileSync(path.join(jars, jar), path.join(inModule ? module : path.join(HOME, 'lib'), jar));
  }
  fs.writeFileSync(path.join(module, 'plugin-descriptor.properties'), DESCRIPTOR);
  fs.writeFileSync(path.join(module, 'plugin-security.policy'), POLICY);
  fs.writeFileSync(path.join(HOME, 'config', 'log4j2.properties'), LOG4J);
  fs.writeFileSync(path.join(HOME, 'config', 'jvm.options'), '');
  spawnSync('chmod', ['-R', 'a+rX', HOME]);
  fs.writeFileSync(path.join(HOME, 'ready'), OPENSEARCH_VERSION);
  return HOME;
}

/** Java and Maven, needed to build and run the installation. */
export const JAVA_AND_MAVEN: [string, string][] = [['/usr/bin/java', 'default-jre-headless'], ['/usr/bin/mvn', 'maven'], ['/usr/bin/curl', 'curl']];
