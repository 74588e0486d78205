// `npm start` (and `npm run demo`): build the web app if its sources changed, then run the CLI
// command given (default `serve`: migrate and serve; see src/server/cli.ts).
import { buildWeb } from './build.mjs';
import { register } from 'tsx/esm/api';

await buildWeb();
register();
const { runCli } = await import('../src/server/cli.ts');
const args = process.argv.slice(2);
const code = await runCli(args.length > 0 ? args : ['serve']);
if (code !== 0) process.exitCode = code;
