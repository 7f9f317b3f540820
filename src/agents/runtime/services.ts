// What each agent serves on the transport (its actions) and the typed client the pipeline calls them through.
// The same handlers run whether the transport is inproc (one process) or NATS (one container per agent).
import type { AnalyticsSummary } from '../analytics/agent.js';
import type { EscalationAgent } from '../escalation/agent.js';
import type { KnowledgeAgent } from '../knowledge/agent.js';
import type {
  ComposedReply,
  ComposeRequest,
  EscalateRequest,
  EscalationDecision,
  GuardrailResult,
  InputThreat,
  IntentResult,
  Language,
  OutputThreat,
  RetrieveReply,
  RetrieveRequest,
} from './contracts.js';
import { AGENTS, LANGUAGES } from './contracts.js';
import type { CriticAgent, IntentAgent, ResponseAgent } from './ports.js';
import type { AgentHandler, AgentTransport } from './transport.js';

/** The response generator serves each language under its own name: one container per language on Azure. */
export function responseAgentName(language: Language): string {
  return `${AGENTS.response}-${language}`;
}

/** The agents of a distributed deployment: one process (container group) each. */
export const DEPLOYED_AGENTS = [
  AGENTS.intent,
  AGENTS.knowledge,
  'response-generator-en',
  'response-generator-fr',
  'response-generator-es',
  AGENTS.escalation,
  AGENTS.analytics,
  AGENTS.critic,
] as const;
export type DeployedAgent = (typeof DEPLOYED_AGENTS)[number];

/** Every agent answers `ping`: how the front door knows the agents it calls are there. */
const ping: AgentHandler = () => ({ ok: true });

export function serveAgent(t: AgentTransport, agent: string, actions: Record<string, AgentHandler>): Promise<void> {
  return t.serve(agent, { ...actions, ping });
}

export interface ValidateInputRequest {
  text: string;
  customerEmail?: string;
}

export interface ValidateOutputRequest {
  reply: string;
  factParts: string[];
  customerEmail?: string;
}

export function criticActions(critic: CriticAgent): Record<string, AgentHandler> {
  return {
    validate_input: (d) => {
      const r = d as ValidateInputRequest;
      return critic.inputGuardrail(r.text, { customerEmail: r.customerEmail });
    },
    validate_output: (d) => {
      const r = d as ValidateOutputRequest;
      return critic.outputGuardrail(r.reply, { facts: r.factParts.join('\n'), factParts: r.factParts, customerEmail: r.customerEmail });
    },
    refusal: (d) => ({ text: critic.refusal((d as { language: Language }).language) }),
  };
}

export function intentActions(intent: IntentAgent): Record<string, AgentHandler> {
  return {
    classify: (d) => {
      const r = d as { text: string; language?: Language; fallback?: Language };
      return intent.classify(r.text, { language: r.language, fallback: r.fallback });
    },
  };
}

export function knowledgeActions(knowledge: KnowledgeAgent): Record<string, AgentHandler> {
  return { retrieve: (d) => knowledge.retrieve(d as RetrieveRequest) };
}

export function escalationActions(escalation: EscalationAgent): Record<string, AgentHandler> {
  return { decide: (d) => escalation.decide(d as EscalateRequest) };
}

export function responseActions(response: ResponseAgent): Record<string, AgentHandler> {
  return {
    compose: (d) => {
      const r = d as ComposeRequest;
      return response.compose({ ...r, now: new Date(r.now) });
    },
  };
}

export function analyticsActions(analytics: { summary(): AnalyticsSummary }): Record<string, AgentHandler> {
  return { summary: () => analytics.summary() };
}

/** Serves every agent on one transport: the inproc platform. */
export async function serveAllAgents(
  t: AgentTransport,
  a: {
    critic: CriticAgent;
    intent: IntentAgent;
    knowledge: KnowledgeAgent;
    escalation: EscalationAgent;
    response: ResponseAgent;
    analytics: { summary(): AnalyticsSummary };
  },
): Promise<void> {
  await serveAgent(t, AGENTS.critic, criticActions(a.critic));
  await serveAgent(t, AGENTS.intent, intentActions(a.intent));
  await serveAgent(t, AGENTS.knowledge, knowledgeActions(a.knowledge));
  await serveAgent(t, AGENTS.escalation, escalationActions(a.escalation));
  for (const language of LANGUAGES) await serveAgent(t, responseAgentName(language), responseActions(a.response));
  await serveAgent(t, AGENTS.analytics, analyticsActions(a.analytics));
}

/** How long the pipeline waits for an agent that calls Shopify or Zendesk (their clients are bounded under it). */
const INTEGRATION_CALL_MS = 30_000;

/** The agents as the pipeline sees them: typed calls over the transport, each tagged with the conversation. */
export class AgentClient {
  constructor(private readonly t: AgentTransport) {}

  validateInput(req: ValidateInputRequest, contextId: string): Promise<GuardrailResult<InputThreat>> {
    return this.t.call(AGENTS.critic, 'validate_input', req, contextId);
  }

  validateOutput(req: ValidateOutputRequest, contextId: string): Promise<GuardrailResult<OutputThreat>> {
    return this.t.call(AGENTS.critic, 'validate_output', req, contextId);
  }

  async refusal(language: Language, contextId: string): Promise<string> {
    return (await this.t.call<{ text: string }>(AGENTS.critic, 'refusal', { language }, contextId)).text;
  }

  classify(req: { text: string; language?: Language; fallback?: Language }, contextId: string): Promise<IntentResult> {
    return this.t.call(AGENTS.intent, 'classify', req, contextId);
  }

  // Knowledge and escalation wait on Shopify and Zendesk: longer than the transport's default, so a slow Zendesk does
  // not leave a ticket created after the pipeline gave up (and a second one on the customer's retry).
  retrieve(req: RetrieveRequest, contextId: string): Promise<RetrieveReply> {
    return this.t.call(AGENTS.knowledge, 'retrieve', req, contextId, { timeoutMs: INTEGRATION_CALL_MS });
  }

  decide(req: EscalateRequest, contextId: string): Promise<EscalationDecision> {
    return this.t.call(AGENTS.escalation, 'decide', req, contextId, { timeoutMs: INTEGRATION_CALL_MS });
  }

  compose(req: ComposeRequest, contextId: string): Promise<ComposedReply> {
    return this.t.call(responseAgentName(req.language), 'compose', req, contextId);
  }

  /** Resolves when the agent answers within `timeoutMs`. */
  async ping(agent: string, timeoutMs = 2_000): Promise<void> {
    await this.t.call(agent, 'ping', {}, 'ping', { timeoutMs });
  }

  analyticsSummary(): Promise<AnalyticsSummary> {
    return this.t.call(AGENTS.analytics, 'summary', {}, 'analytics');
  }
}
