import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, demoPlatform } from '../agents/platform/helpers.js';
import { runCli } from '../helpers/cli.js';

let p: Awaited<ReturnType<typeof demoPlatform>>;
let sessionId: string;
beforeAll(async () => {
  p = await demoPlatform();
  const first = await chat(p.url, { message: 'Hi, where is my order?' });
  sessionId = String(first.json.session_id);
  await chat(p.url, { message: "It's #10252, daniel.okafor@example.com", session_id: sessionId });
  await p.flush();
});
afterAll(() => p.cleanup());

describe('mac traces', () => {
  it('lists conversations with their turns', async () => {
    const run = await runCli(['traces', '--dir', p.tracesDir, '--json'], { cwd: p.stateDir });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { conversations: { session_id: string; turns: number }[] };
    expect(doc.conversations).toContainEqual(expect.objectContaining({ session_id: sessionId, turns: 2 }));
  });

  it("shows one conversation's decision path, stage by stage, without PII", async () => {
    const run = await runCli(['traces', '--dir', p.tracesDir, '--conversation', sessionId], { cwd: p.stateDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Turn 1 .*\n {2}critic-supervisor\.validate_input/);
    expect(run.stdout).toMatch(/Turn 2 [\s\S]*escalation-handler\.decide[\s\S]*lost_or_stolen/);
    expect(run.stdout).not.toContain('daniel.okafor@example.com');
    const missing = await runCli(['traces', '--dir', p.tracesDir, '--conversation', 'nope'], { cwd: p.stateDir });
    expect(missing.code).toBe(2);
  });
});
