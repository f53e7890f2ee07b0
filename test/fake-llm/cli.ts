/**
 * Runs the fake LLM server as its own process (end-to-end tests, or `npm start` without API keys).
 *   node --import tsx test/fake-llm/cli.ts [--port 0] [--responder interactive|echo|default]
 * Prints `FAKE_LLM_URL=http://127.0.0.1:PORT` on stdout once listening; stops on SIGINT/SIGTERM.
 */
import { builtinResponders } from './responders';
import { startFakeLlm } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const name = arg('responder') ?? 'interactive';
  const responder = builtinResponders[name];
  if (!responder) throw new Error(`unknown responder ${name}; one of ${Object.keys(builtinResponders).join(', ')}`);
  const fake = await startFakeLlm({ port: Number(arg('port') ?? 0), responder });
  process.stdout.write(`FAKE_LLM_URL=${fake.url}\n`);
  const stop = (): void => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake-llm: ${String(e)}\n`);
  process.exit(1);
});
