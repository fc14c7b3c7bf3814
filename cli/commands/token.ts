import { InvalidArgumentError, Option, type Command } from 'commander';

interface TokenOptions {
  role: 'vendor' | 'admin' | 'analyst';
  store?: string;
  subject?: string;
  ttl: number;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 30 * 86400) throw new InvalidArgumentError('expects whole seconds from 1 to 2592000 (30 days)');
  return n;
}

/**
 * `landform token`: prints a JWT signed by the local key in the state directory (created on first
 * use, mode 0600). Only `landform serve` on embedded defaults accepts it.
 */
export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('Mint a local bearer token for `landform serve --demo` (signed by a key in the state directory).')
    .addOption(new Option('--role <role>', 'role claim').choices(['vendor', 'admin', 'analyst']).makeOptionMandatory())
    .option('--store <id>', 'store_id claim (required for --role vendor)')
    .option('--subject <sub>', 'sub claim (default: local-<role>[-<store>])')
    .option('--ttl <seconds>', 'lifetime in seconds', seconds, 3600)
    .action(async (options: TokenOptions) => {
      if (options.role === 'vendor' && !options.store) {
        process.stderr.write('landform token: --role vendor needs --store <id> (the vendor store the token is scoped to)\n');
        process.exitCode = 2;
        return;
      }
      const { mintLocalToken } = await import('../../api/auth/local-key.js');
      const { stateDir } = await import('../../demo/paths.js');
      const token = await mintLocalToken(stateDir(), {
        role: options.role, ttlSeconds: options.ttl,
        ...(options.store ? { storeId: options.store } : {}), ...(options.subject ? { subject: options.subject } : {}),
      });
      process.stdout.write(`${token}\n`);
    });
}
