// Runs in main: where the CLI and the desktop app keep their database and trial artifacts by default.
import os from 'node:os'
import path from 'node:path'

export function appDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'darwin')
    return path.join(os.homedir(), 'Library', 'Application Support', 'hpo-studio')
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'hpo-studio')
  return path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'hpo-studio')
}

/** `--db` beats HPO_STUDIO_DB beats the platform's data folder (the same file the desktop app opens). */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.HPO_STUDIO_DB || path.join(appDataDir(env), 'studies.sqlite')
}

/** Trial folders ($HPO_TRIAL_DIR) live beside the database. */
export function artifactsDirFor(databasePath: string): string {
  if (databasePath === ':memory:') return path.join(os.tmpdir(), 'hpo-studio-artifacts')
  return path.join(path.dirname(path.resolve(databasePath)), 'artifacts')
}
