// Request validation for the gateway: bad input is a 400 with a JSON error naming the field, never a 5xx.
import { z } from 'zod';
import { LANGUAGES, type ChatRequest } from '../runtime/contracts.js';

export const MAX_MESSAGE_CHARS = 4096;

const EMAIL = /^[\p{L}\p{N}._%+'-]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}$/u;

const chatRequestSchema = z.object({
  message: z
    .string({ error: 'message must be a string' })
    .refine((m) => m.trim().length > 0, 'message must not be empty')
    // Characters as people count them (code points): an emoji is one, not two UTF-16 units.
    .refine((m) => m.length <= MAX_MESSAGE_CHARS || codePoints(m) <= MAX_MESSAGE_CHARS, `message must be at most ${MAX_MESSAGE_CHARS} characters`),
  session_id: z
    .string({ error: 'session_id must be a string' })
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'session_id must be 1-128 characters of letters, digits, . _ : -')
    .optional(),
  language: z.enum(LANGUAGES, { error: 'language must be one of en, fr, es' }).optional(),
  // Spaces around it are dropped; letters of any script (zoé.l@exemple.fr) and apostrophes (o'brien@…) are fine.
  customer_email: z
    .string({ error: 'customer_email must be an email address' })
    .trim()
    .pipe(z.email({ pattern: EMAIL, error: 'customer_email must be an email address' }).max(254))
    .optional(),
});

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export type Validation = { ok: true; value: ChatRequest } | { ok: false; error: string; field?: string };

export function validateChatRequest(body: unknown): Validation {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'request body must be a JSON object with a "message" field' };
  }
  const r = chatRequestSchema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  const message = issue?.code === 'invalid_type' && (body as Record<string, unknown>)[field ?? ''] === undefined ? `${field} is required` : issue?.message;
  return { ok: false, error: message ?? 'invalid request', field };
}
