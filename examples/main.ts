/**
 * The examples `npm run synth` (and `cdk8s synth`) writes to dist/. Each family adds its charts
 * in its own file; dist/ is checked in and a test fails when it is stale.
 */
import { App } from 'cdk8s';
import { batchExamples } from './batch';
import { databaseExamples } from './databases';
import { nodeAgentExamples } from './node-agents';
import { scheduledExamples } from './scheduled';

export function buildExamples(outdir = 'dist'): App {
  const app = new App({ outdir });
  const { ordersDb, shopDb, cache } = databaseExamples(app);
  scheduledExamples(app, ordersDb, { shopDb, cache });
  nodeAgentExamples(app);
  batchExamples(app, ordersDb);
  (require('./blue-green') as typeof import('./blue-green')).blueGreenExamples(app);
  return app;
}

if (require.main === module) buildExamples().synth();
