// The response-generator agent. Two strategies (DESIGN §4 "Models are strategies"):
//  - `offline` (default): templates per language over the facts in the context (compose.ts), synchronous, no I/O;
//  - `azure-openai`: a chat completion from an Azure OpenAI deployment over the same facts (azure-openai.ts), with
//    the offline reply as its fallback.
import { AGENTS, type ComposedReply, type ResponseContext } from '../runtime/contracts.js';
import { azureOpenAIComposer } from './azure-openai.js';
import { composeReply } from './compose.js';
import type { ResponseStrategy, ResponseStrategyName } from './strategy.js';

export { describeResponseStrategy, RESPONSE_STRATEGIES, type ResponseStrategy, type ResponseStrategyName } from './strategy.js';

export interface ResponseAgent {
  readonly name: typeof AGENTS.response;
  readonly strategy: ResponseStrategyName;
  compose(ctx: ResponseContext): ComposedReply | Promise<ComposedReply>;
}

/** The offline agent answers synchronously. */
interface OfflineResponseAgent extends ResponseAgent {
  readonly strategy: 'offline';
  compose(ctx: ResponseContext): ComposedReply;
}

interface ResponseAgentOptions {
  strategy?: ResponseStrategy;
  log?: (line: string) => void;
}

export function createResponseAgent(): OfflineResponseAgent;
export function createResponseAgent(o: ResponseAgentOptions): ResponseAgent;
export function createResponseAgent(o: ResponseAgentOptions = {}): ResponseAgent {
  const s = o.strategy ?? { kind: 'offline' };
  if (s.kind === 'azure-openai') {
    return { name: AGENTS.response, strategy: 'azure-openai', compose: azureOpenAIComposer({ ...s, offline: composeReply, log: o.log }) };
  }
  return { name: AGENTS.response, strategy: 'offline', compose: composeReply };
}
