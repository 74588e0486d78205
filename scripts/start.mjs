// `npm start`: build the web app if its sources changed, then migrate and serve (src/server/main.ts).
import { buildWeb } from './build.mjs';
import { register } from 'tsx/esm/api';

await buildWeb();
register();
const { runCli } = await import('../src/server/cli.ts');
const code = await runCli(['serve']);
if (code !== 0) process.exitCode = code;
