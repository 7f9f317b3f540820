import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // One self-signed TLS cert per run, trusted by the forked workers via NODE_EXTRA_CA_CERTS (see the file).
    globalSetup: ['test/setup/tls.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
