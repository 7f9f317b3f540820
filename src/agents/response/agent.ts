// The response-generator agent, offline strategy: templates per language over the facts in the context.
import { AGENTS, type ComposedReply, type ResponseContext } from '../runtime/contracts.js';
import { composeReply } from './compose.js';

export interface ResponseAgent {
  readonly name: typeof AGENTS.response;
  compose(ctx: ResponseContext): ComposedReply;
}

export function createResponseAgent(): ResponseAgent {
  return { name: AGENTS.response, compose: composeReply };
}
