#!/usr/bin/env node
// `npx lodestar <command>`: runs the TypeScript CLI through tsx (no separate server build step).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/server/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
