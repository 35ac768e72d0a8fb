/**
 * The examples `npm run synth` (and `cdk8s synth`) writes to dist/. Each family adds its charts
 * in its own file; dist/ is checked in and a test fails when it is stale.
 */
import { App } from 'cdk8s';
import { batchExamples } from './batch';
import { blueGreenExamples } from './blue-green';
import { databaseExamples } from './databases';
import { logPipelineExamples } from './log-pipeline';
import { nodeAgentExamples } from './node-agents';
import { operationsExamples } from './operations';
import { scheduledExamples } from './scheduled';
import { searchExamples } from './search';
import { servicesExamples } from './services';

export function buildExamples(outdir = 'dist'): App {
  const app = new App({ outdir });
  const { ordersDb, shopDb, cache, paymentsDb } = databaseExamples(app);
  scheduledExamples(app, ordersDb, { shopDb, cache, paymentsDb });
  nodeAgentExamples(app);
  searchExamples(app);
  batchExamples(app, ordersDb);
  blueGreenExamples(app);
  servicesExamples(app);
  logPipelineExamples(app);
  // Last: alerts, runbooks and capacity read the finished charts.
  operationsExamples(app);
  return app;
}

if (require.main === module) buildExamples().synth();
