// Whether the real terraform binary is here: suites that drive it skip (loudly, each naming why) where it is not.
import { spawnSync } from 'node:child_process';

export const hasTerraform = spawnSync('terraform', ['version'], { env: { ...process.env, CHECKPOINT_DISABLE: '1' } }).status === 0;
