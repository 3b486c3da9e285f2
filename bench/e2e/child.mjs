// Shared by the child processes: arguments in, one RESULT line out.
import { readFileSync } from 'node:fs';

export const args = JSON.parse(process.argv[2] ?? '{}');

export const readText = (path) => readFileSync(path, 'utf8');

export function report(result) {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
