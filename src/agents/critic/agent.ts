// The critic/supervisor agent: an input guardrail before the pipeline and an output guardrail on the draft reply
// (OpenAI Agents SDK vocabulary: guardrails return { tripwireTriggered, info }).
import { AGENTS, type GuardrailResult, type InputThreat, type Language, type OutputThreat } from '../runtime/contracts.js';
import { checkInput, type InputContext } from './input-guardrail.js';
import { checkOutput, type OutputContext } from './output-guardrail.js';

export interface CriticAgent {
  readonly name: typeof AGENTS.critic;
  inputGuardrail(text: string, ctx?: InputContext): GuardrailResult<InputThreat>;
  outputGuardrail(reply: string, ctx: OutputContext): GuardrailResult<OutputThreat>;
  /** What the customer is told when their message is blocked: polite, and silent about what was detected. */
  refusal(language: Language): string;
}

const REFUSALS: Record<Language, string> = {
  en: "Sorry, I can't help with that request. I'm happy to help with your orders, returns, shipping, products or account — what can I do for you?",
  fr: "Désolé, je ne peux pas donner suite à cette demande. Je peux vous aider pour vos commandes, retours, livraisons, produits ou votre compte : que puis-je faire pour vous ?",
  es: 'Lo siento, no puedo ayudar con esa solicitud. Con gusto le ayudo con sus pedidos, devoluciones, envíos, productos o su cuenta. ¿Qué necesita?',
};

export function refusal(language: Language): string {
  return REFUSALS[language] ?? REFUSALS.en;
}

export function createCriticAgent(): CriticAgent {
  return {
    name: AGENTS.critic,
    inputGuardrail: (text, ctx = {}) => checkInput(text, ctx),
    outputGuardrail: (reply, ctx) => checkOutput(reply, ctx),
    refusal,
  };
}
