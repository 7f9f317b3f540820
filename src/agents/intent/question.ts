// Whether a message asks rather than requests: "can I return opened coffee?" is a question about the policy, "I want
// to return the grinder" a request.
import { foldText } from '../escalation/lexicon.js';

const QUESTION_START =
  /^(?:[¿]|(?:what|how|can|could|do|does|is|are|who|when|which|where|quel(?:le)?s?|comment|combien|est-ce|puis-je|peut-on|cual(?:es)?|como|cuanto|puedo|se puede|que)\b)/;

/** "?" at the end, or a question word first (en, fr, es). */
export function isQuestion(message: string | undefined): boolean {
  if (!message) return false;
  const text = foldText(message).trim();
  return /\?\s*$/.test(text) || QUESTION_START.test(text);
}
