// The headless entry (`hpo-studio`): every command of study-file.md over the same store and runner as the app.
import { Command, CommanderError, Option } from 'commander'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { defaultDatabasePath } from '../defaultPaths.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import { StoreError, type StudyStore } from '../store/studyStore.ts'
import { CliError, EXIT } from './cliOutput.ts'
import type { ExportFormat } from '../export/exportTrials.ts'
import { exportCommand } from './exportCommand.ts'
import { importOptunaCommand, type ImportOptunaOptions } from './importOptunaCommand.ts'
import { createOrMatchStudy, runStudyHere } from './runCommand.ts'
import { serveCommand } from './serveCommand.ts'
import {
  configCommand,
  deleteCommand,
  enqueueCommand,
  importCommand,
  listCommand,
  requestCommand,
  requireStudy,
  showCommand,
  validateCommand,
} from './studyCommands.ts'

function openStore(db: string | undefined): StudyStore {
  const file = db ?? defaultDatabasePath()
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  return openStudyStore(file)
}

async function withStore(
  db: string | undefined,
  fn: (store: StudyStore) => Promise<number | void> | number | void,
): Promise<void> {
  const store = openStore(db)
  try {
    process.exitCode = (await fn(store)) ?? EXIT.ok
  } finally {
    store.close()
  }
}

const positiveInt = (v: string): number => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(EXIT.badInput, `expected a whole number >= 1, got "${v}"`)
  return n
}

const nonNegativeInt = (v: string): number => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || v.trim() === '')
    throw new CliError(EXIT.badInput, `expected a trial number (a whole number >= 0), got "${v}"`)
  return n
}

const portNumber = (v: string): number => {
  const n = Number(v)
  if (v.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError(
      EXIT.badInput,
      `serve --port: expected a port number 0-65535 (0 picks a free one), got "${v}"`,
    )
  return n
}

const dbOption = (): Option =>
  new Option('--db <file>', 'study database (default: $HPO_STUDIO_DB or the platform data folder)')

export function buildProgram(): Command {
  const program = new Command('hpo-studio')
    .description('Hyperparameter optimization studies, offline: run, watch, compare, export')
    .showHelpAfterError()
    .exitOverride()

  addRunCommands(program)
  addInspectCommands(program)
  addDataCommands(program)
  addAdminCommands(program)
  return program
}

/** run, resume, pause, stop: the commands that drive a study. */
function addRunCommands(program: Command): void {
  program
    .command('run')
    .description('create (or continue) a study from a study file and run it')
    .argument('<study-file>', 'YAML or JSON study file')
    .addOption(dbOption())
    .option(
      '--trials <n>',
      "the study's total trial budget from now on (overrides the file)",
      positiveInt,
    )
    .option('--json', 'machine-readable output only')
    .action((file: string, o: { db?: string; trials?: number; json?: boolean }) =>
      withStore(o.db, (store) =>
        runStudyHere(store, createOrMatchStudy(store, file, o.trials), { json: o.json }),
      ),
    )

  program
    .command('resume')
    .description(
      'continue a paused, stopped or crashed study (or ask the process running it to resume)',
    )
    .argument('<name>')
    .addOption(dbOption())
    .option('--trials <n>', "the study's total trial budget from now on", positiveInt)
    .option('--json', 'machine-readable output only')
    .action((name: string, o: { db?: string; trials?: number; json?: boolean }) =>
      withStore(o.db, (store) => {
        const study = requireStudy(store, name)
        const lease = store.getLease(study.id)
        if (lease && !lease.stale && lease.pid !== process.pid) {
          store.requestControl(study.id, 'resume', `hpo-studio resume (pid ${process.pid})`)
          console.log(
            `"${study.name}" is run by process ${lease.pid} on ${lease.host}: asked it to resume`,
          )
          return EXIT.ok
        }
        return runStudyHere(store, study.id, { trials: o.trials, json: o.json })
      }),
    )

  for (const action of ['pause', 'stop'] as const) {
    program
      .command(action)
      .description(`ask the process running a study to ${action} it`)
      .argument('<name>')
      .addOption(dbOption())
      .action((name: string, o: { db?: string }) =>
        withStore(o.db, (store) => requestCommand(store, name, action)),
      )
  }
}

/** list, show, export, serve, validate: the commands that read studies and study files. */
function addInspectCommands(program: Command): void {
  program
    .command('list')
    .description('studies: state, trials, best value')
    .addOption(dbOption())
    .option('--json', 'machine-readable output only')
    .action((o: { db?: string; json?: boolean }) =>
      withStore(o.db, (store) => listCommand(store, Boolean(o.json))),
    )

  program
    .command('show')
    .description('trials and the best configuration of a study')
    .argument('<name>')
    .addOption(dbOption())
    .option('--json', 'machine-readable output only')
    .action((name: string, o: { db?: string; json?: boolean }) =>
      withStore(o.db, (store) => showCommand(store, name, Boolean(o.json))),
    )

  program
    .command('export')
    .description('write trials or the top K configurations as JSON, YAML or CSV')
    .argument('<name>')
    .addOption(dbOption())
    .addOption(
      new Option('--format <format>', 'output format (optuna-enqueue: a Python script for Optuna)')
        .choices(['json', 'yaml', 'csv', 'optuna-enqueue'])
        .makeOptionMandatory(),
    )
    .option(
      '--top <k>',
      'the K best finished trials, best first (several objectives: by Pareto rank)',
      positiveInt,
    )
    .option(
      '--trial <n>',
      'only this trial (a trial of the Pareto front, say); --model retrains it',
      nonNegativeInt,
    )
    .option('--out <file>', 'write to a file instead of standard output')
    .option(
      '--model <file>',
      'retrain the best configuration (or --trial) with its seed and save the model (gbdt, cnn)',
    )
    .action(
      (
        name: string,
        o: {
          db?: string
          format: ExportFormat
          top?: number
          trial?: number
          out?: string
          model?: string
        },
      ) => withStore(o.db, (store) => exportCommand(store, name, o)),
    )

  program
    .command('serve')
    .description('show the UI in a browser (127.0.0.1, token URL on standard output)')
    .addOption(dbOption())
    .option('--port <port>', 'port (0 picks a free one)', portNumber, 0)
    .action((o: { db?: string; port: number }) => serveCommand(openStore(o.db), o.port))

  program
    .command('validate')
    .description('check a study file, run nothing')
    .argument('<study-file>')
    .option('--json', 'machine-readable output only')
    .action((file: string, o: { json?: boolean }) => {
      process.exitCode = validateCommand(file, Boolean(o.json))
    })
}

/** enqueue, import, import-optuna: the commands that add trials and studies. */
function addDataCommands(program: Command): void {
  program
    .command('enqueue')
    .description('add a queued trial that runs before the tuner proposals')
    .argument('<name>')
    .requiredOption('--params <json>', 'the configuration, e.g. \'{"x1": 1, "x2": 2}\'')
    .addOption(dbOption())
    .option('--json', 'machine-readable output only')
    .action((name: string, o: { db?: string; params: string; json?: boolean }) =>
      withStore(o.db, (store) => enqueueCommand(store, name, o.params, Boolean(o.json))),
    )

  program
    .command('import')
    .description(
      'add known results (CSV with one column per parameter and "value", or JSON) as complete trials',
    )
    .argument('<name>')
    .argument('<file>')
    .addOption(dbOption())
    .option('--json', 'machine-readable output only')
    .action((name: string, file: string, o: { db?: string; json?: boolean }) =>
      withStore(o.db, (store) => importCommand(store, name, file, Boolean(o.json))),
    )

  program
    .command('import-optuna')
    .description(
      'import the studies of an Optuna storage (SQLite RDB file or JournalStorage log) with every trial',
    )
    .argument('<file>', 'Optuna SQLite file (sqlite:///FILE) or JournalFileStorage log')
    .option('--study <name...>', 'only these Optuna studies (default: every study in the file)')
    .option('--name <new>', 'the name the one imported study gets here')
    .option('--tuner <kind|json>', 'tuner that continues it, e.g. tpe or \'{"kind":"gp"}\'', 'tpe')
    .option('--pruner <kind|json>', 'pruner for the trials it runs next, e.g. median')
    .option('--trials <n>', 'trials it may run after the imported ones (default 100)', positiveInt)
    .addOption(dbOption())
    .option('--json', 'machine-readable output only')
    .action((file: string, o: ImportOptunaOptions & { db?: string }) =>
      withStore(o.db, (store) => importOptunaCommand(store, file, o)),
    )
}

/** delete, config: the commands that remove studies and change settings. */
function addAdminCommands(program: Command): void {
  program
    .command('delete')
    .description('delete a study and its trials')
    .argument('<name>')
    .addOption(dbOption())
    .option('--yes', 'do not ask for confirmation')
    .action((name: string, o: { db?: string; yes?: boolean }) =>
      withStore(o.db, (store) => deleteCommand(store, name, Boolean(o.yes))),
    )

  program
    .command('config')
    .description(
      'read and write settings (xgboost.library, xgboost.nthread, tfjs.backend, data.folders, concurrency)',
    )
    .argument('<action>', 'get or set')
    .argument('[key]')
    .argument('[value]', 'JSON or a plain string')
    .addOption(dbOption())
    .option('--json', 'machine-readable output only')
    .action(
      (
        action: string,
        key: string | undefined,
        value: string | undefined,
        o: { db?: string; json?: boolean },
      ) => withStore(o.db, (store) => configCommand(store, action, key, value, Boolean(o.json))),
    )
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv)
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0
          ? EXIT.ok
          : EXIT.badInput
    } else if (e instanceof CliError) {
      console.error(e.message)
      process.exitCode = e.exitCode
    } else if (e instanceof StoreError) {
      console.error(e.message)
      process.exitCode = EXIT.badInput
    } else {
      console.error(`hpo-studio: ${(e as Error).stack ?? e}`)
      process.exitCode = EXIT.studyFailed
    }
  }
}
