/**
 * The emulator as `npm start` runs it: the built dist/emulator/main.js in its own process, on a
 * free port (PORT=0), keeping its data in `dataDir`. Answers the gateway's URL (from the
 * `gateway   http://…` line it prints) and a stop that waits for the process to exit.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'emulator', 'main.js');

export interface SpawnedEmulator {
  url: string;
  stop(): Promise<void>;
  /** `kill -9`: no chance to flush or close anything */
  kill(): Promise<void>;
}

export async function spawnEmulator(options: {
  dataDir: string;
  /** more environment for the process (over this one's, PORT and DATA_DIR) */
  env?: Record<string, string>;
}): Promise<SpawnedEmulator> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', DATA_DIR: options.dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /gateway\s+(http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}):\n${out}`)));
  });
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
