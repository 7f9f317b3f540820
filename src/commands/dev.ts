// mac dev: gateway, agents and mock integrations in the foreground; Ctrl-C stops cleanly.
import { Command } from 'commander';
import type { Deps } from '../deps.js';

export interface DevOptions {
  data?: string;
  kb?: string;
  port: number;
}

export function devCommand(deps: Deps): Command {
  return new Command('dev')
    .description('Run the platform (gateway, six agents, mock Shopify/Zendesk/Mailchimp/GA4) in the foreground')
    .option('--data <dir>', 'shop data folder (default: the environment\'s shop.data, else the demo shop)')
    .option('--kb <dir>', 'knowledge-base folder (default: <data>/kb)')
    .option('--port <n>', 'gateway port (0 = any free port)', (v) => Number.parseInt(v, 10), 8080)
    .addHelpText(
      'after',
      `
Examples:
  $ mac dev
  $ mac dev --data ./data/my-shop --port 9090
  $ curl -s localhost:8080/v1/chat -H 'content-type: application/json' -d '{"message":"Where is my order #10279?","customer_email":"mateo.castillo@example.com"}'`,
    )
    .action(async (_flags, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as DevOptions;
      const { startDevPlatform } = await import('../dev/platform.js');
      const platform = await startDevPlatform({ deps, data: opts.data, kb: opts.kb, port: opts.port, webhooks: true });
      const { io } = deps;
      if (io.json) io.result({ url: platform.url, mocks: platform.mocks });
      else {
        io.out(`Gateway      ${platform.url}  (POST /v1/chat, GET /health, /ready, /v1/analytics/summary)`);
        for (const [name, url] of Object.entries(platform.mocks ?? {})) io.out(`Mock ${name.padEnd(8)}${url}`);
        io.out(`Traces       ${platform.tracesDir}`);
        io.info('Press Ctrl-C to stop.');
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      io.info('Stopping…');
      await platform.close();
    });
}
