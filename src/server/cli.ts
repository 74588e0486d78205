/**
 * `lodestar <command>`: the command line for operators.
 *
 *   serve                         start the server (what `npm start` runs)
 *   migrate                       bring the database schema up to date
 *   create-admin --email E --name N [--organization O --time-zone Z]
 *                                 add an administrator; prints a one-time link to set a password
 *   seed-demo                     fill the database with a small fictional program
 *   generate [--scale rco|state|N | --participants N] [--seed S --password P --directory N]
 *                                 fill a new database with a large, deterministic synthetic program
 *   demo [--port P]               seed a separate demo database and serve it
 *   backup <file>                 an online, consistent copy of the SQLite database
 *   audit verify                  check the audit hash chains and signed checkpoints
 *   audit checkpoint              sign the current head of every audit chain now
 *   copy-to-postgres --from sqlite:PATH --to postgres://…   copy into PostgreSQL, verified
 *   directory import|export       the resource directory to and from HSDS, Meeting Guide, FindTreatment.gov
 *   measures --org ID --from D --to D [--json]   every measure's figures for a period
 *   import FILE --org ID [--dry-run] [--as EMAIL] a program's history (docs/IMPORT.md)
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfig } from './platform/config.js';
import { systemClock } from './platform/clock.js';
import { openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './migrations/index.js';
import { AuditKeyError, loadAuditKey, newestCheckpoints, verifyAudit, writeCheckpoints } from './platform/audit/checkpoints.js';
import { backupSqlite } from './platform/db/backup.js';
import { createAdmin } from './modules/users/users.admin.js';
import { seedDemo, resetDemoFile, DEMO_DATABASE_URL } from './modules/demo/demo.seed.js';
import { generateProgram, type GenerateResult } from './modules/generate/generate.js';
import { generateNetwork, parseScale } from './modules/generate/generate.scale.js';
import { randomBytes } from 'node:crypto';
import { DIRECTORY_HELP, directoryCommand } from './modules/directory/import/import.cli.js';
import { MEASURES_HELP, measuresCommand } from './modules/measures/measures.cli.js';
import { COPY_HELP, copyCommand } from './platform/db/copy.js';
import { IMPORT_HELP, importCommand } from './modules/imports/imports.cli.js';

// The server (every module's routes) loads only for `serve` and `demo`: other commands start faster.
const main = async (): Promise<void> => (await import('./main.js')).main();

const HELP = `Usage: lodestar <command>

  serve                      start the server (npm start)
  migrate                    bring the database schema up to date
  create-admin --email E --name N [--organization O] [--time-zone Z] [--platform-admin]
                             add an administrator and print a one-time link to set a password;
                             --platform-admin also lets them create organizations
  seed-demo                  fill the configured database with a small fictional program
  generate [--scale rco|state|N] [--participants N] [--seed S] [--password P] [--directory N]
                             fill a new database with a synthetic program: --scale rco (one organization,
                             2,000 participants, a year), state (20 organizations, 2,000 coaches,
                             250,000 participants, five years) or N participants in state proportions;
                             or --participants N for one organization (default 2000, seed 1) with a
                             directory of N services (default one per 10 participants, at least 50),
                             partner accounts, ED visits, appointments, MOUD records, referrals, check-ins
                             and BARC-10 responses; every generated login shares the password (random if
                             not given)
  demo [--port P]            seed a separate demo database (./data/demo.db) and serve it
  backup <file>              write an online, consistent copy of the SQLite database
  audit verify               check the audit hash chains and signed checkpoints
  audit checkpoint           sign the current head of every audit chain
${COPY_HELP}
${DIRECTORY_HELP}
${MEASURES_HELP}
${IMPORT_HELP}

Configuration comes from the environment (DATABASE_URL, PORT, …; see README.md).`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
      case undefined:
        await main();
        return 0;
      case 'migrate': {
        const config = loadConfig();
        const h = openDatabase(config.databaseUrl);
        const applied = await migrateToLatest(h.db);
        await h.destroy();
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
        return 0;
      }
      case 'create-admin': {
        const { values } = parseArgs({
          args: rest,
          options: {
            email: { type: 'string' },
            name: { type: 'string' },
            organization: { type: 'string' },
            'time-zone': { type: 'string' },
            'platform-admin': { type: 'boolean', default: false },
          },
        });
        if (!values.email || !values.name) {
          console.error('create-admin needs --email and --name');
          return 2;
        }
        const config = loadConfig();
        const h = openDatabase(config.databaseUrl);
        await migrateToLatest(h.db);
        try {
          const link = await createAdmin(h.db, systemClock, config, {
            email: values.email,
            displayName: values.name,
            organizationName: values.organization,
            timeZone: values['time-zone'],
            platformAdmin: values['platform-admin'],
          });
          console.log(`Administrator ready. Send them this one-time link to set a password (valid 24 hours):\n\n  ${link}\n`);
        } finally {
          await h.destroy();
        }
        return 0;
      }
      case 'seed-demo': {
        const config = loadConfig();
        const h = openDatabase(config.databaseUrl);
        await migrateToLatest(h.db);
        try {
          const logins = await seedDemo(h.db, systemClock);
          printDemoLogins(logins);
        } finally {
          await h.destroy();
        }
        return 0;
      }
      case 'generate': {
        const { values } = parseArgs({
          args: rest,
          options: { participants: { type: 'string' }, scale: { type: 'string' }, seed: { type: 'string', default: '1' }, password: { type: 'string' }, directory: { type: 'string' } },
        });
        const participants = Number(values.participants ?? '2000');
        const seed = Number(values.seed);
        const scale = values.scale === undefined ? undefined : parseScale(values.scale);
        const directoryServices = values.directory === undefined ? undefined : Number(values.directory);
        if (scale === null) {
          console.error('generate --scale takes rco, state or a whole number of participants');
          return 2;
        }
        if (scale !== undefined && (values.participants !== undefined || directoryServices !== undefined)) {
          console.error('generate: give --scale, or --participants (with --directory), not both');
          return 2;
        }
        if (!Number.isInteger(participants) || participants < 0 || !Number.isInteger(seed) || (directoryServices !== undefined && (!Number.isInteger(directoryServices) || directoryServices < 0))) {
          console.error('generate needs whole numbers: --participants N (0 or more), --seed S and --directory N (0 or more)');
          return 2;
        }
        const password = values.password ?? `generated-${randomBytes(9).toString('base64url')}`;
        const config = loadConfig();
        const h = openDatabase(config.databaseUrl);
        await migrateToLatest(h.db);
        try {
          if (scale !== undefined) {
            const r = await generateNetwork(h.db, systemClock, {
              scale,
              seed,
              password,
              ...(h.sqlite && { sqlite: h.sqlite }),
              onOrganization: (o, i, plan) => console.log(`Organization ${i + 1} of ${plan.organizations}: ${o.counts.participants} participants, ${o.counts.rows} rows in ${o.seconds.toFixed(1)} s.`),
            });
            printCounts(r.counts);
            console.log(`${r.rows} rows in ${r.seconds.toFixed(1)} s, secondary indexes built after loading in ${r.indexSeconds.toFixed(1)} s (${Math.round(r.rows / Math.max(r.seconds, 0.001))} rows/s).`);
            console.log(`\nEvery generated login uses the password: ${password}`);
            for (const o of r.organizations) printLogins(o);
          } else {
            const r = await generateProgram(h.db, systemClock, { participants, seed, password, ...(h.sqlite && { sqlite: h.sqlite }), ...(directoryServices !== undefined && { directoryServices }) });
            printCounts(r.counts);
            console.log(`${r.counts.rows} rows in ${r.seconds.toFixed(2)} s (${Math.round(r.counts.rows / Math.max(r.seconds, 0.001))} rows/s).`);
            console.log(`\nEvery generated login uses the password: ${password}`);
            printLogins(r);
          }
        } finally {
          await h.destroy();
        }
        return 0;
      }
      case 'demo': {
        const { values } = parseArgs({ args: rest, options: { port: { type: 'string' } } });
        process.env.DATABASE_URL = process.env.LODESTAR_DEMO_DATABASE_URL ?? DEMO_DATABASE_URL;
        if (values.port) process.env.PORT = values.port;
        const config = loadConfig();
        resetDemoFile(config.databaseUrl);
        const h = openDatabase(config.databaseUrl);
        await migrateToLatest(h.db);
        const logins = await seedDemo(h.db, systemClock);
        await h.destroy();
        await main();
        printDemoLogins(logins);
        return 0;
      }
      case 'backup': {
        const target = rest[0];
        if (!target) {
          console.error('backup needs a target file: lodestar backup ./backups/lodestar-2026-11-27.db');
          return 2;
        }
        const config = loadConfig();
        const h = openDatabase(config.databaseUrl);
        try {
          if (h.dialect !== 'sqlite' || !h.sqlite) {
            console.error('backup copies the embedded SQLite database. For PostgreSQL use pg_dump or your provider’s backups.');
            return 2;
          }
          const result = await backupSqlite(h.sqlite, path.resolve(target));
          console.log(`Backup written to ${result.file} (${result.pages} pages, integrity ${result.integrity}).`);
        } finally {
          await h.destroy();
        }
        return 0;
      }
      case 'audit': {
        const sub = rest[0];
        if (sub !== 'verify' && sub !== 'checkpoint') {
          console.error('Usage: lodestar audit verify | lodestar audit checkpoint');
          return 2;
        }
        const config = loadConfig();
        const h = openDatabase(config.databaseUrl);
        try {
          // The CLI never creates a key: a new one would make every checkpoint look forged.
          let key: string;
          try {
            key = await loadAuditKey(h, { key: config.auditKey, file: config.auditKeyFile, create: false });
          } catch (err) {
            if (!(err instanceof AuditKeyError)) throw err;
            console.error(err.message);
            return 2;
          }
          if (sub === 'verify') {
            const report = await verifyAudit(h.db, key, { now: systemClock.now() });
            const newest = report.newestCheckpointAt ? `the newest signed ${report.newestCheckpointAt}` : 'none signed yet';
            if (report.ok) {
              console.log(`Audit trail intact: ${report.events} events in ${report.chains} chain(s), ${report.checkpoints} signed checkpoint(s) verified (${newest}).`);
              for (const c of report.heads) {
                console.log(`  ${c.chainId}  events 1–${c.lastSeq}  checkpoint #${c.checkpointSeq} ${c.checkpointAt ? `signed ${c.checkpointAt}` : '(none)'}`);
              }
              return 0;
            }
            console.error(`Audit trail BROKEN at ${report.problem?.chainId}#${report.problem?.seq} (${report.problem?.kind}): ${report.problem?.message}`);
            return 1;
          }
          const signed = await writeCheckpoints(h.db, systemClock, key);
          console.log(`Signed ${signed.length} checkpoint(s). The newest checkpoint of each chain — keep a copy outside the database:`);
          console.log('chain_id\tseq\thash\tsigned_at\tsignature');
          for (const c of await newestCheckpoints(h.db)) console.log(`${c.chainId}\t${c.seq}\t${c.hash}\t${c.createdAt}\t${c.signature}`);
          return 0;
        } finally {
          await h.destroy();
        }
      }
      case 'directory':
        return await directoryCommand(rest);
      case 'copy-to-postgres':
        return await copyCommand(rest);
      case 'measures':
        return await measuresCommand(rest);
      case 'import':
        return await importCommand(rest);
      case 'help':
      case '--help':
      case '-h':
        console.log(HELP);
        return 0;
      default:
        console.error(`Unknown command: ${command}\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

function printCounts(c: GenerateResult['counts']): void {
  console.log(`Generated ${c.participants} participants (${c.fullIntakes} full intakes), ${c.episodes} episodes (${c.activeEpisodes} active),`);
  console.log(`${c.sites} sites and teams, ${c.coaches} coaches, ${c.supervisors} supervisors, ${c.partners} partner accounts;`);
  console.log(`${c.consents} consents, ${c.lifeEvents} life events, ${c.todos + c.referralTodos} to-dos, ${c.encounters} encounters, ${c.checkIns} check-ins, ${c.barc10Responses} BARC-10 responses;`);
  console.log(`${c.edVisits} ED visits with a peer (${c.edRevisits} returns to the ED), ${c.admissions} admissions, ${c.returnsToUse} returns to use, ${c.overdoses} overdoses (${c.fatalOverdoses} fatal);`);
  console.log(`a directory of ${c.directoryServices} services (${c.directoryOrganizations} organizations), ${c.appointments} appointments,`);
  console.log(`${c.moudCourses} MOUD courses with ${c.moudFills} fills and ${c.otpEnrollments} OTP enrollment periods,`);
  console.log(`${c.referrals} referrals (${c.sentReferrals} sent with ${c.disclosures} disclosures, ${c.linkedReferrals} linked to care) and ${c.referralEvents} referral events.`);
}

/** One organization's logins (the shared password is printed once, before). */
function printLogins(r: GenerateResult): void {
  console.log(`  ${r.organizationName}`);
  console.log(`    admin            ${r.adminEmail}\n    program_manager  ${r.managerEmail}\n    supervisor       ${r.supervisorEmails[0]}\n    coach            ${r.coachEmails[0]} … ${r.coachEmails.at(-1)}`);
  if (r.partnerEmails.length) console.log(`    partner          ${r.partnerEmails[0]} (the most referrals)${r.partnerEmails.length > 1 ? ` … ${r.partnerEmails.length} in all` : ''}`);
}

function printDemoLogins(logins: { role: string; email: string; password: string }[]): void {
  console.log('\nDemo logins (fictional people; this demo database is separate from your real one):');
  for (const l of logins) console.log(`  ${l.role.padEnd(16)} ${l.email.padEnd(36)} ${l.password}`);
  console.log('');
}
