#!/usr/bin/env node
// Keeps every core busy while a command runs, to prove tests do not depend on a quiet machine:
//   node scripts/cpu-load.mjs [--workers N] [--max-minutes M] -- <command> [args...]
// The load stops when the command exits, and at the latest after --max-minutes (default 30), so a
// hung command cannot leave a machine spinning. Exits with the command's exit code.
/* global process, setTimeout, clearTimeout */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

function parse(argv) {
  const split = argv.indexOf('--');
  const own = split < 0 ? [] : argv.slice(0, split);
  const command = split < 0 ? argv : argv.slice(split + 1);
  const options = { workers: availableParallelism(), maxMinutes: 30 };
  for (let i = 0; i < own.length; i += 2) {
    const value = Number(own[i + 1]);
    if (own[i] === '--workers' && Number.isInteger(value) && value > 0) options.workers = value;
    else if (own[i] === '--max-minutes' && value > 0) options.maxMinutes = value;
    else throw new Error(`unknown option or bad value: ${own[i]} ${own[i + 1] ?? ''}`);
  }
  if (command.length === 0) throw new Error('no command given; usage: node scripts/cpu-load.mjs [--workers N] [--max-minutes M] -- <command> [args...]');
  return { ...options, command };
}

// Each worker spins on arithmetic; it never yields, so the OS scheduler shares the cores with the command.
const SPIN = 'let x = 0; for (;;) { x = (x * 1103515245 + 12345) % 2147483648; }';

let options;
try {
  options = parse(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`cpu-load: ${error.message}\n`);
  process.exit(2);
}
const workers = Array.from({ length: options.workers }, () => new Worker(SPIN, { eval: true }));
const stopLoad = () => Promise.all(workers.map((w) => w.terminate()));
const limit = setTimeout(() => {
  process.stderr.write(`cpu-load: ${options.maxMinutes} min reached, stopping the load (the command keeps running)\n`);
  void stopLoad();
}, options.maxMinutes * 60_000);
process.stderr.write(`cpu-load: ${options.workers} busy worker(s) while running: ${options.command.join(' ')}\n`);
const started = Date.now();
const child = spawn(options.command[0], options.command.slice(1), { stdio: 'inherit', shell: false });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', async (error) => {
  process.stderr.write(`cpu-load: cannot run ${options.command[0]}: ${error.message}\n`);
  clearTimeout(limit);
  await stopLoad();
  process.exit(2);
});
child.on('exit', async (code, signal) => {
  clearTimeout(limit);
  await stopLoad();
  process.stderr.write(`cpu-load: command ${signal ? `killed by ${signal}` : `exited ${code}`} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.exit(code ?? 1);
});
