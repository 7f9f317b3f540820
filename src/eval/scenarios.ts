// Scenario files for `mac eval`: conversations with the facts a correct answer must state.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError, UsageError } from '../errors.js';
import { INTENTS, LANGUAGES } from '../agents/runtime/contracts.js';

const intent = z.enum(INTENTS, { message: 'expected one of the 22 intent labels' });

const expectSchema = z.strictObject({
  intent: z.union([intent, z.array(intent).min(1)]).optional(),
  min_confidence: z.number().min(0).max(1).optional(),
  contains: z.array(z.string().min(1)).optional(),
  not_contains: z.array(z.string().min(1)).optional(),
  escalated: z.boolean().optional(),
  blocked: z.boolean().optional(),
  language: z.enum(LANGUAGES).optional(),
});

const scenarioSchema = z.strictObject({
  id: z.string().min(1),
  priority: z.string().min(1).default('P1'),
  description: z.string().optional(),
  customer_email: z.email().optional(),
  language: z.enum(LANGUAGES).optional(),
  turns: z.array(z.strictObject({ message: z.string().min(1), expect: expectSchema.default({}) })).min(1),
});

export const scenarioFileSchema = z.strictObject({
  /** The day the scenarios assume (shop data is written around it); an in-process platform runs on it. */
  today: z.iso.date({ message: 'expected a date like 2026-11-26' }).optional(),
  scenarios: z.array(scenarioSchema).min(1),
});
export type Scenario = z.output<typeof scenarioSchema>;
export type Expectation = z.output<typeof expectSchema>;

export async function loadScenarioFile(file: string): Promise<{ today?: string; scenarios: Scenario[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read scenario file ${file}.`, 'Pass --scenarios <file.json>.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([{ file, path: '', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  const r = scenarioFileSchema.safeParse(json);
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => ({ file, path: i.path.join('.'), message: i.message })));
  }
  const ids = new Set<string>();
  for (const s of r.data.scenarios) {
    if (ids.has(s.id)) throw new ConfigError([{ file, path: `scenarios.${s.id}`, message: 'duplicate scenario id' }]);
    ids.add(s.id);
  }
  return r.data;
}

export async function loadScenarios(file: string): Promise<Scenario[]> {
  return (await loadScenarioFile(file)).scenarios;
}
