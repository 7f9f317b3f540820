// The critic/supervisor's input guardrail: trips on prompt injection, jailbreak/role-play, system-prompt extraction,
// requests for other customers' data, harmful instructions and encoded payloads, in en/fr/es. Angry customers,
// profanity and everyday phrasings ("ignore my previous message", "act quickly", "show me my order") pass: they are
// handled by escalation, not blocked. Rules run on a normalised copy of the text (see text.ts).
import type { GuardrailResult, InputThreat } from '../runtime/contracts.js';
import { findEncodedPayloads } from './encoded.js';
import { LiteralGate, mayMatch, type Possible } from './literals.js';
import { looksLikeText, matchVariants, normalizeForMatch, sentences } from './text.js';

export interface InputContext {
  /** The signed-in customer's email, when known: their own email is never "another customer". */
  customerEmail?: string;
}

interface Rule {
  id: string;
  category: InputThreat;
  /** Matched against the normalised text (lower case, no accents). */
  re: RegExp;
  /** Also required somewhere in the normalised text. */
  and?: RegExp;
  /** Vetoes the rule when it matches the normalised text. */
  unless?: RegExp;
}

const r = (parts: TemplateStringsArray, ...subs: string[]) => String.raw(parts, ...subs);
// Rules run on the normalised text (lower case, accents removed): plain regexes, compiled once at load.
const re = (source: string) => new RegExp(source);

// ---- shared vocabulary (normalised: lower case, no accents) ------------------------------------------------

const TOPIC_AFTER = r`(?!\s+(?:for|about|on|regarding|concerning|when|to (?:return|ship|order)|pour|sur|concernant|de (?:retour|livraison|remboursement)|para|sobre|acerca|de (?:devolucion|envio|reembolso))\b)`;
const RULE_NOUN_EN = r`(?:instructions?|directions|rules|guidelines|directives?|prompts?|polic(?:y|ies)|constraints|programming|training|restrictions|safeguards|guardrails|filters|limitations|protocols?)`;
const RULE_NOUN_FR = r`(?:instructions?|consignes?|regles?|directives?|prompts?|politiques?|contraintes|restrictions|programmation|filtres)`;
const RULE_NOUN_ES = r`(?:instrucciones|instruccion|reglas?|normas|directrices|directivas?|indicaciones|prompts?|politicas?|restricciones|programacion|filtros)`;
const YOU_POSS = r`(?:your|ton|ta|tes|votre|vos|tu|tus|su|sus)`;
const AI_REF = r`\b(?:you|your|yourself|ai|a\.i\.|assistant|bot|chatbot|model|llm|gpt|ia|tu|toi|t'|vous|robot|modele|eres|tienes|tuvieras|asistente|modelo)\b`;
const UNRESTRICTED = [
  r`\b(?:no|without|zero|free (?:of|from)|not bound by|ignoring|unbound by) (?:any |all |your |the |more )?(?:restrictions|rules|filters|limitations|content polic(?:y|ies)|guidelines|censorship|ethics|morals|boundaries|safeguards|guardrails|policies)\b(?! (?:on|for|about|regarding|when|to|with) )`,
  r`\b(?:unrestricted|unfiltered|uncensored|unlimited|jailbroken|amoral|unethical|evil|rogue|rebel)\s(?:ai|assistant|bot|model|mode|version|chatbot|llm)\b`,
  r`\b(?:sans|aucune?|pas de|plus de|libre de|n'as (?:plus )?(?:aucune?|pas de)|n'avais (?:aucune?|pas de)|n'aies (?:aucune?|pas de))\s(?:aucune?\s)?(?:restrictions?|regles?|filtres?|limites|censure|contraintes|politique de contenu|garde-fous|ethique|morale)\b(?! (?:de livraison|pour|sur|de retour))`,
  r`\b(?:ia|assistant|bot|robot)\s(?:sans limite|rebelle|malveillant|libre|debride)`,
  r`\b(?:sin|ningun[ao]?s?|no tuvieras|no tienes|no tengas|no tendrias|libre de)\s(?:ningun[ao]?\s)?(?:restricciones|reglas|filtros|limites|censura|politicas|normas|etica|moral)\b(?! (?:de envio|para|sobre|de devolucion))`,
  r`\b(?:ia|asistente|bot|robot)\s(?:sin limites|rebelde|malvad[oa]|libre)`,
].join('|');

// Privileged actions a customer message cannot order the agent to perform (used in combinations only: asking for a
// refund is normal; being told to issue one by an "instruction" is not).
const PRIVILEGED = [
  r`\b(?:issue|approve|grant|give|send|process|apply|add|credit|generate|create|set|change|upgrade|mark|cancel|disable|turn off|remove|waive|unlock|reset|bypass|skip)\b[^.!?\n]{0,50}\b(?:refunds?|store credit|credits?|discount|coupon|promo(?:tion)? codes?|gift cards?|points|tier|platinum|vip|as delivered|verification|identity|2fa|authentication|limits?|fees?|for free|free|every (?:order|request|refund)|all (?:orders|requests|refunds))\b`,
  r`\b100 ?% (?:discount|off|coupon|refund)|\b(?:discount|coupon|promo code) (?:of|for) 100 ?%`,
  r`\b(?:rembourse|annule|desactive|active|ajoute|donne|applique|accorde|genere|cree|marque|supprime|contourne|offre)\w*\b[^.!?\n]{0,50}\b(?:remboursements?|credit|reduction|rabais|code promo|cartes?[- ]cadeaux?|points|verification|statut|livree?|gratuite?s?|toutes les commandes|100 ?%)`,
  r`\b(?:reembols|cancel|desactiv|activ|anad|aplica|otorga|genera|crea|marca|elimina|regal|aprueba|omite|salta)\w*\b[^.!?\n]{0,50}\b(?:reembolsos?|credito|descuento|cupon|tarjetas? (?:de )?regalo|puntos|verificacion|entregado|gratis|todos los pedidos|100 ?%|\d+ dolares)`,
].join('|');

// ---- rules ------------------------------------------------------------------------------------------------

const RULES: Rule[] = [
  // Prompt injection: override the agent's instructions, fake roles/markup, authority claims, forced replies.
  { id: 'override-instructions-en', category: 'prompt_injection',
    re: re(r`\b(?:ignore|disregard|forget|override|bypass|abandon|discard|set aside|throw out|stop following|don't follow|do not follow|no longer follow)\s(?:(?:all|any|every|the|your|these|those|prior|previous|preceding|above|earlier|original|initial|old|existing|current|system|default|built-in|internal|safety|content|developer|store|shop|of|and)\s){0,4}${RULE_NOUN_EN}\b`) },
  { id: 'override-everything-en', category: 'prompt_injection',
    re: re(r`\b(?:ignore|disregard|forget)\s(?:everything|anything|all)\s(?:that\s)?(?:above|before this|you(?:'ve| have)? been told|you were told|you know|prior)|\b(?:ignore|disregard|forget|reset|clear)\s(?:all\s|the\s|your\s)?(?:prior|previous|above|earlier|preceding|existing)\s(?:context|conversation|setup|configuration|memory)\b`) },
  { id: 'override-instructions-fr', category: 'prompt_injection',
    re: re(r`\b(?:ignore[rsz]?|oublie[rsz]?|fais abstraction d[ue]s?|faites abstraction d[ue]s?|ne tiens? (?:plus )?compte d[ue]s?|ne tenez (?:plus )?compte d[ue]s?|outrepasse[rz]?|contourne[rz]?)\s(?:(?:toutes|tous|les|tes|vos|ces|des|de|la|l'|ton|ta|votre)\s?){0,3}${RULE_NOUN_FR}\b`) },
  { id: 'override-instructions-es', category: 'prompt_injection',
    re: re(r`\b(?:ignora[rs]?|ignore[ns]?|olvida[rs]?|olvide[ns]?|omite|omita|descarta|haz caso omiso (?:a|de)|no sigas|deja de seguir|salta(?:te)?)\s(?:(?:todas|todos|las|los|tus|sus|estas|esas|de|la)\s){0,3}${RULE_NOUN_ES}\b`) },
  // "SYSTEM: …" as a fake role line; a lower-case "System: Android 10" (a device) only when it goes on to talk
  // about the user, the assistant or what it may do. (The upper-case form is checked on the original text.)
  { id: 'fake-role-line', category: 'prompt_injection',
    re: /(?:^|\n|[.!?]\s)\s*\[?(?:system|systeme|sistema|admin|administrator|administrateur|administrador|developer|developpeur|desarrollador|root|operator)\]?\s*(?:message|prompt|note|override|update)?\s*:\s*(?:the (?:user|customer|assistant|bot)|this (?:user|customer)|you(?:'re| are| must| will| may| can)?\b|l'utilisateur|le client|l'assistant|tu |vous |el usuario|el cliente|el asistente|eres|debes|(?:ignore|approve|grant|disable|override|allow|enable|new|reveal|cancel|refund|rembourse|desactive|aprueba|ignora|desactiva)\b)/ },
  { id: 'chat-markup', category: 'prompt_injection',
    re: /<\/?\s*(?:system|user|assistant|instructions?|im_start|im_end|sys)\b[^>]*>|\[\/?(?:inst|system|sys)\]|<<\s*sys\s*>>|<\|[a-z_ ]+\|>|#{2,}\s*(?:system|new|updated|override|admin|important|instructions?|nouvelles?|nueva?s?)\b|\b(?:begin|end) (?:of )?(?:system )?prompt\b/u },
  { id: 'authority-claim', category: 'prompt_injection',
    re: re(r`\b(?:the user is (?:an? |the )?(?:admin|administrator|developer|owner|superuser|root)|i am (?:your|the) (?:developer|creator|admin|administrator|programmer|owner)|as (?:your|the) (?:developer|creator|admin|administrator)|(?:admin|developer|root|sudo|god) (?:access|override|privileges|command)|l'utilisateur est (?:un |l')?(?:admin|administrateur|developpeur)|je suis (?:ton|votre) (?:developpeur|createur|administrateur)|el usuario es (?:un |el )?(?:admin|administrador|desarrollador)|soy (?:tu|su) (?:desarrollador|creador|administrador))\b`) },
  { id: 'rules-suspended', category: 'prompt_injection',
    re: re(r`\b(?:(?:safety |content |store |shop |your |all |the )?(?:rules|restrictions|policies|filters|guidelines|safeguards|guardrails|verification|limits) (?:are|is|have been|has been) (?:now |hereby |temporarily )?(?:suspended|disabled|lifted|removed|off|void|waived|revoked|deactivated|no longer (?:apply|in effect|valid))|(?:update|message|notice|order|memo) from (?:the )?(?:engineering|dev|development|developer|admin|security|it|ops|management|openai|system) team|(?:regles|restrictions|politiques|filtres|consignes|verifications?) (?:sont|est) (?:maintenant |desormais )?(?:suspendue?s?|desactivee?s?|levee?s?|annulee?s?)|(?:reglas|restricciones|politicas|filtros|normas|verificacion(?:es)?) (?:estan|quedan|han sido|fueron) (?:ahora )?(?:suspendid[ao]s|desactivad[ao]s|anulad[ao]s|levantad[ao]s))\b`) },
  { id: 'hidden-instruction', category: 'prompt_injection',
    re: re(r`(?<!\b(?:my|mon|ma|mi) )\b(?:(?:hidden|secret|override|admin|system|developer|priority) (?:instructions?|directives?|commands?|prompt)|(?:instructions?|directives?|consignes?|ordres?|messages?) (?:prioritaires? |urgentes? |secretes? |cachees? |speciales? )*(?:du|de l'|de la) (?:developpeur|administrateur|systeme|admin|direction technique)|(?:instructions?|directives?|consignes?) (?:cachees?|secretes?|prioritaires?)|(?:instruccion|instrucciones|directiva|orden|mensaje)(?: prioritari[ao]s?| urgentes?| secret[ao]s?| ocult[ao]s?)* (?:del|de la) (?:desarrollador|administrador|sistema)|(?:instruccion|instrucciones|directiva|orden) (?:oculta|secreta|prioritaria)s?|(?:note|message|instructions?) (?:to|for) (?:the )?(?:ai|a\.i\.|bot|chatbot|model|llm|language model)|(?:para|pour) (?:el|la|l') ?(?:ia|asistente virtual|assistant virtuel|modelo|modele))\b`) },
  { id: 'forced-reply', category: 'prompt_injection',
    re: re(r`\b(?:(?:every|each|all|your) (?:reply|replies|response|responses|answer|answers|message|messages) (?:must|should|shall|will|has to|have to) (?:include|contain|start|end|say|mention)|(?:chaque|toutes? (?:les|tes|vos)) (?:reponses?|messages?) (?:doi(?:t|vent)|devra(?:ient)?) (?:inclure|contenir|commencer|finir|dire)|(?:cada|todas (?:las|tus)) (?:respuestas?|mensajes?) (?:debe|deben|tendra|tendran que) (?:incluir|contener|empezar|terminar|decir)|(?:reply|respond|answer)(?:ing)? (?:only|just|always) (?:with|by saying)|(?:from now on|starting now|henceforth)[, ]+(?:you|reply|respond|answer|say|always|only|act|behave|pretend|ignore)|(?:a partir de maintenant|desormais|dorenavant)[, ]+(?:tu|vous|reponds|repondez|dis|agis)|(?:desde ahora|a partir de ahora|de ahora en adelante)[, ]+(?:tu|responde|responderas|contesta|di|actua|eres)|(?:reponds?|repondez|responde|contesta) [^.!?\n]{0,40}\b(?:a tout|a todo|a todas)\b)`) },
  { id: 'directive-with-privileged-action', category: 'prompt_injection',
    re: re(r`\b(?:new|updated|revised|additional|priority) (?:instructions?|directives?|rules|orders)\b|\bnouvel(?:le)?s? (?:instructions?|directives?|consignes?|regles?)\b|\bnuevas? (?:instrucciones|instruccion|directivas?|reglas|ordenes|orden)\b`),
    and: re(PRIVILEGED),
    unless: re(r`\b(?:from me|de ma part|de mi parte|for (?:the|my) (?:delivery|courier|driver)|pour (?:la livraison|le livreur)|para (?:la entrega|el repartidor))\b`) },
  { id: 'credential-request', category: 'system_prompt_extraction',
    re: re(r`\b(?:(?:admin|administrator|root|database|db|api|secret|master|system)\s(?:password|passwd|key|token|credentials?)|(?:mot de passe|identifiants?|cle api) (?:de l')?(?:admin|administrateur|systeme|racine)|(?:contrasena|clave|credenciales) (?:de(?:l)? )?(?:admin|administrador|sistema|root))\b`) },

  // Jailbreak / role-play.
  { id: 'dan', category: 'jailbreak',
    re: re(r`\b(?:you are|you're|be|become|pretend (?:to be|you are|you're)|act as|as|eres|ser|seras|sois|soyez|etre|tu es|vous etes|now|ahora|maintenant)\s(?:now\s|ahora\s|maintenant\s)?(?:an?\s)?(?:dan|stan|dude|aim|mongo tom|anti-?dan|betterdan|chaos ?gpt|evil confidant)\b|\bdo anything now\b|\bjailbr(?:ea|o)k(?:en|ed)?\b(?=[^.!?\n]{0,40}\b(?:you|mode|prompt|ai|assistant|bot|tu|modo|mode)\b)`) },
  { id: 'unrestricted-persona', category: 'jailbreak', re: re(UNRESTRICTED), and: re(AI_REF) },
  { id: 'special-mode-en', category: 'jailbreak',
    re: re(r`\b(?:you are|you're|you|now)\s(?:now\s)?(?:in|enter|entering|switch(?:ed)? to|enable|activate)\s(?:the\s)?(?:developer|dev|god|debug|admin|sudo|unrestricted|jailbreak|dan|opposite|evil)\smode\b|\b(?:enable|activate|enter|switch to|turn on)\s(?:the\s)?(?:developer|dev|god|sudo|jailbreak|dan|unrestricted|evil)\smode\b(?=[^.!?\n]{0,80}(?:polic|filter|restrict|rule|confirm|say|respond|answer))|\b(?:dev|developer|god|jailbreak|dan) mode (?:on|enabled|activated)\b`) },
  { id: 'special-mode-fr', category: 'jailbreak',
    re: re(r`(?<!j'ai |ai |a |s'est |est |il |elle |on )\b(?:tu es|t'es|vous etes|passe|passez|entre|entrez|active|activez|bascule|basculez)\s(?:maintenant\s|desormais\s)?(?:en\s|le\s|dans le\s)?mode\s(?:developpeur|dev|dieu|admin|debug|sans (?:filtre|restriction|limite|regle)s?)\b(?=[^.!?\n]{0,80}(?:filtre|restriction|regle|confirme|dis|reponds|politique|actif|active)|\s*$)|\bmode (?:dev|developpeur|dieu) (?:actif|active|on)\b`) },
  { id: 'special-mode-es', category: 'jailbreak',
    re: re(r`(?<!se |me |lo |le |ya se )\b(?:entra|entras|activa|pasa|cambia|ponte|estas)\s(?:ahora\s|ya\s)?(?:en\s|a\s)?(?:el\s)?modo\s(?:desarrollador|dev|dios|admin|debug|sin (?:filtros|restricciones|limites|reglas))\b(?=[^.!?\n]{0,80}(?:filtro|restric|regla|confirma|di |responde|politica|activ)|\s*$)|\bmodo (?:dev|desarrollador|dios) (?:activado|activo|on)\b`) },
  { id: 'role-play', category: 'jailbreak',
    re: re(r`\b(?:role-?play|role play)\b|\bpretend (?:that )?(?:you are|you're|to be|you have|you can|you were)\b|\b(?:fais|faites|fait) semblant (?:d'etre|que tu es|que vous etes|d'avoir)|\bjoue[rz]? (?:le|un) role\b|\bincarne[rz]? (?:un|une|le|la)\b|\b(?:finge|fingir|finjas|finja|pretende) (?:que )?(?:eres|fueras|seas|ser|no tienes|no tuvieras)\b|\b(?:haz|haga) (?:el )?papel de\b`) },
  { id: 'game-persona', category: 'jailbreak',
    re: re(r`\b(?:let's play a game|let us play a game|play a game with me|jouons a un jeu|on joue a un jeu|juguemos|vamos a jugar|juega conmigo)\b`),
    and: re(r`\b(?:you are|you're|you will be|you'll be|tu es|tu seras|t'es|vous etes|eres|seras|seras)\b`) },
  { id: 'rule-breaking-persona', category: 'jailbreak',
    re: re(r`\b(?:who|that|which|qui|que)\s(?:doesn't|does not|never|won't|don't|ne|n'|no|nunca|jamas|ignore|ignores|ignora)\s?(?:follow|obey|respect|care about|have|suit|obeit|respecte|sigue|obedece|respeta|tiene|les|las|todas|toutes)\w*\s(?:about\s)?(?:(?:any|the|your|store|shop|les|la|des|aucune|las|los|ninguna|de la|tienda|boutique)\s){0,3}(?:rules|policies|policy|guidelines|restrictions|regles|politiques|reglas|politicas|normas|restricciones|consignes)\b|\b(?:you are|you're|tu es|eres)\s(?:now\s|maintenant\s|ahora\s)?(?!an?\s|the\s|un\s|une\s|el\s|la\s)[a-z]*(?:bot|gpt)\w*\b`) },
  { id: 'act-as-malicious', category: 'jailbreak',
    re: re(r`\b(?:act|behave|respond|answer|speak|talk|roleplay)\s(?:as|like)\s(?:an?\s|the\s|my\s)?(?:unrestricted|unfiltered|uncensored|evil|rogue|jailbroken|rebel|malicious|hacker|dan|different ai|other ai|(?:late|dead|deceased)\s(?:grand ?ma|grandmother|grandpa|grandfather|granny|mother|father))|\b(?:my|ma|mi)\s(?:late|dead|deceased|defunte?|difunt[oa])\s(?:grand ?ma|grandmother|grandpa|grandfather|granny|grand-mere|grand-pere|abuela|abuelo)\b[^.!?\n]{0,80}\b(?:codes?|keys?|passwords?|numbers?|cles|codigos?|numeros?)\b`) },

  // System-prompt extraction.
  { id: 'system-prompt-noun', category: 'system_prompt_extraction',
    re: re(r`(?<!\b(?:my|mon|ma|mi) )\b(?:system prompt|prompt systeme|prompt du systeme|prompt de sistema|prompt del sistema|(?:your|ton|votre|tu|su) (?:initial |original |hidden |secret |full )?prompt|(?:your|ton|votre|tu|su) (?:system|hidden|initial|original|secret|internal|developer) (?:message|instructions|rules|configuration|config)|(?:ton|votre|tu|su) (?:message|mensaje) (?:systeme|du systeme|de sistema|del sistema)|developer message|message du developpeur|mensaje del desarrollador|meta-?prompt|pre-?prompt|initial prompt)\b`) },
  { id: 'hidden-config', category: 'system_prompt_extraction',
    re: re(r`\b(?:(?:hidden|secret|internal|initial|original|exact|full|complete|underlying)\s(?:instructions|configuration|config|rules|guidelines|directives|settings|prompt)|configuration (?:cachee|secrete|interne|initiale)|(?:consignes|instructions|regles|directives) (?:cachees|secretes|internes|initiales|exactes)|configuracion (?:oculta|secreta|interna|inicial)|(?:instrucciones|reglas|directrices|normas) (?:ocultas|secretas|internas|iniciales|exactas))\b${TOPIC_AFTER}`) },
  { id: 'instructions-given', category: 'system_prompt_extraction',
    re: re(r`\b(?:instructions|rules|guidelines|directives) (?:that )?(?:you were|you've been|you have been|you are|you got) (?:given|told|programmed|configured)|(?:instructions|consignes|regles|directives) (?:qu'on t'a|qu'on vous a|que l'on t'a|qu'ils t'ont) (?:donnees?|fournies?)|(?:instrucciones|reglas|directrices) que (?:te|le|les) (?:dieron|han dado|dio)|\b(?:before|prior to) (?:this|our|the) (?:conversation|chat|session)|avant (?:cette|notre) conversation|antes de (?:esta|nuestra) conversacion|how (?:were|are) you (?:programmed|instructed|configured|prompted)|\b(?:instructions|rules|guidelines|directives|prompt|settings) (?:were|are|have) you (?:been )?(?:configured|programmed|given|trained|instructed|set up|prompted) (?:with|by)|\b(?:what|which) (?:instructions|rules|guidelines|prompt) (?:did|do) (?:they|you) (?:give|configure|program|set)|(?:message|prompt|instructions|consignes|regles) (?:systeme |initiales? |internes? )?(?:que tu as recue?s?|que vous avez recue?s?|qu'on t'a (?:donnee?s?|envoyee?s?|transmise?s?))|\b(?:te|le) (?:configuraron|programaron|instruyeron|entrenaron) con\b|\bcon (?:que|cuales) (?:instrucciones|reglas|normas|prompt) (?:te|le|se) (?:configuraron|programaron|instruyeron|entrenaron|dieron|configuro)|\bavec quel(?:le)?s (?:instructions|consignes|regles|prompt) (?:t'a-t-on|on t'a|as-tu ete|es-tu|vous a-t-on|avez-vous ete) (?:configure|programme|parametre|donne)|\b(?:with )?what (?:instructions|rules|prompt) (?:were|are|have) you (?:been )?(?:configured|programmed|set up|given)|\bwhat were you (?:configured|programmed|instructed|prompted) with|(?:instrucciones|reglas|prompt|mensaje) (?:del sistema |internas? |iniciales? )?que (?:te|le) (?:enviaron|configuraron|programaron|pasaron)`) },
  { id: 'text-above', category: 'system_prompt_extraction',
    re: re(r`\b(?:everything|all(?: the)? text|all|whatever|what(?: is|'s)?)\s(?:written\s)?(?:above|before)\s(?:this|the|my)\s(?:line|message|text|point|conversation|prompt)|(?:text|everything|what|whatever|words?)\s(?:that\s)?(?:came|comes|is|was|appears|appeared)\s(?:before|above)\s(?:my|this|the)\s(?:first\s|very first\s)?(?:message|line|prompt|question)|tout ce qui (?:se trouve|est|figure|precede) (?:au-dessus|avant|plus haut)|(?:le texte|ce qui) (?:qui )?(?:vient|venait|se trouve|etait) avant mon (?:premier )?message|todo lo que (?:hay|esta|aparece|se encuentra) (?:encima|arriba|antes)|(?:el texto|lo que) (?:que )?(?:viene|venia|hay|habia|estaba) antes de mi (?:primer )?mensaje`) },
  { id: 'reveal-your-rules', category: 'system_prompt_extraction',
    re: re(r`\b(?:repeat|print|show|reveal|output|display|quote|copy|dump|leak|expose|share|tell me|give me|send me|write out|paste|list|recite|spell out|what (?:are|were|is)|which are|repete[rz]?|repetez|affiche[rz]?|montre[rz]?(?:-moi)?|revele[rz]?|donne[rz]?(?:-moi)?|cite[rz]?|copie[rz]?|quelles sont|quels sont|c'est quoi|repite|muestra(?:me)?|revela|dame|dime|copia|cita|imprime|cuales son)\s(?:me\s|moi\s|aqui\s)?(?:all\s|toutes\s|todas\s)?${YOU_POSS}\s(?:exact |full |complete |exactes |completas |propres )?(?:instructions|rules|guidelines|directives|programming|configuration|config|settings|consignes|regles|instrucciones|reglas|directrices|normas|prompt)\b${TOPIC_AFTER}`),
    unless: re(r`\b(?:for|about|on|pour|sur|para|sobre)\s(?:returns?|returning|shipping|delivery|refunds?|retours?|livraisons?|remboursements?|devoluciones|devolver|envios?|reembolsos?)\b`) },
  { id: 'verbatim', category: 'system_prompt_extraction',
    re: re(r`\b(?:verbatim|word for word|word-for-word|mot (?:a|pour) mot|textuellement|palabra por palabra|al pie de la letra|tal cual|sin resumir|without summari[sz]ing|sans resumer)\b`),
    and: re(r`${YOU_POSS}\s(?:\w+\s)?(?:instructions|rules|guidelines|prompt|consignes|regles|instrucciones|reglas|directrices|configuration|configuracion)`) },

  // Harmful instructions: weapons, violence, self-harm, fraud.
  { id: 'weapons', category: 'harmful',
    re: re(r`\b(?:make|build|assemble|construct|create|craft|manufacture|3d[- ]print|fabriquer|fabrique|construire|faire|fais|preparer|hacer|hago|haces|fabricar|fabrico|construir|construyo|armar|armo|preparar|preparo)\b[^.!?\n]{0,40}\b(?:(?:pipe )?bombs?|explosives?|ied|detonators?|molotov|napalm|thermite|grenades?|gunpowder|guns?|firearms?|silencers?|suppressors?|nerve agents?|ricin|sarin|poison|bombes?|explosifs?|armes?(?: a feu)?|pistolets?|grenades?|bombas?|explosivos?|armas?(?: de fuego)?|pistolas?|granadas?|veneno)\b|\b(?:untraceable|ghost|homemade|home-made|zip|3d[- ]printed) (?:guns?|firearms?|weapons?)\b`) },
  { id: 'poison-violence', category: 'harmful',
    re: re(r`\b(?:poison(?:ing)?|envenenar\w*|empoisonner|empoisonne[rz]?)\b[^.!?\n]{0,40}\b(?:someone|somebody|my|his|her|their|a person|people|alguien|quelqu'un|el cafe|la comida|su |son |sa |sin que|sans que|without)|\b(?:how (?:do|can|could) i|how to|best way to|comment|como)\s(?:kill|murder|hurt|strangle|stab|tuer|blesser|matar|herir|apunalar)\s(?:someone|somebody|a person|my|him|her|them|quelqu'un|mon|ma|alguien|a mi)\b`) },
  { id: 'spike-food', category: 'harmful',
    re: re(r`\b(?:slip|put|add|mix|sneak|spike|lace|glisser|mettre|ajouter|melanger|poner|echar|meter|mezclar|agregar)\b[^.!?\n]{0,60}\b(?:into|in|dans|en)\s(?:[\w'’]+\s){0,3}(?:coffee|tea|drink|food|meal|cafe|the|boisson|nourriture|repas|bebida|comida|te)\b`),
    and: re(r`\b(?:sick|ill|hurt|harm|knock (?:him|her|them) out|pass out|without (?:him|her|them) (?:knowing|tasting|noticing)|malade|mal|sans qu'(?:il|elle)s? (?:le )?(?:sache|goute|remarque)|enferm[oa]s?|dano|sin que (?:se de cuenta|lo note|lo sepa|lo pruebe))\b`) },
  { id: 'self-harm', category: 'harmful',
    re: re(r`\b(?:kill(?:ing)? myself|end(?:ing)? my (?:own )?life|take my (?:own )?life|commit(?:ting)? suicide|suicid(?:e|al)|hurt(?:ing)? myself|harm(?:ing)? myself|self[- ]harm|cut(?:ting)? myself|overdos(?:e|ing)|(?:lethal|fatal|deadly) dose|want to die|don't want to live|me suicider|suicide|me tuer|mettre fin a (?:mes jours|ma vie)|en finir(?:\s*[.!?]|\s*$| avec (?:la vie|tout|ma vie|moi))|je veux mourir|pour mourir|dose (?:mortelle|letale)|me faire du mal|suicidarme|suicidio|matarme|quitarme la vida|acabar con mi vida|quiero morir(?:me)?|para morir|dosis (?:letal|mortal)|hacerme dano)\b`) },
  { id: 'payment-fraud', category: 'harmful',
    re: re(r`\b(?:stolen|cloned|skimmed|hacked|someone else's) (?:credit |debit )?(?:cards?|card numbers?|cc|cvvs?|accounts?)\b|\b(?:cartes?|numeros? de cartes?)(?: bancaires?| de credit)? (?:volee?s?|clonee?s?|piratee?s?)|\btarjetas? (?:de credito )?(?:robadas?|clonadas?|ajenas?)|\bcarding\b|\bcvv dumps?\b|\bfullz\b|\b(?:steal|voler|robar)\s(?:someone's |des |una? |numeros de )?(?:credit )?(?:cards?|cartes?|tarjetas?)`),
    and: re(r`\b(?:how|steps?|walk me through|teach|show me|explain|help me|ways? to|use|using|buy|guide|tutorial|comment|explique|apprends|montre|utiliser|acheter|aide-moi|como|ensename|explica|usar|comprar|ayudame|muestrame|sin que|without|sans)\b`),
    unless: re(r`\b(?:report|reporting|block|cancel|freeze|was used|were used|someone used|protect|dispute|signaler|bloquer|opposition|a ete utilisee|denunciar|reportar|bloquear|cancelar|usaron mi|utilise ma)\b`) },
  { id: 'document-fraud', category: 'harmful',
    re: re(r`\b(?:fake|forged?|falsif(?:y|ied)|counterfeit|doctored|phony|bogus) (?:a )?(?:receipts?|invoices?|proofs? of purchase|bills?|ids?|documents?|tracking|delivery confirmation|photos? of damage)\b|\bfalsifier (?:une |un |la |le |des )?(?:facture|recu|ticket|preuve|document)|\b(?:fausse|faux|fausses) (?:factures?|recus?|tickets?|preuves?)|\b(?:factura|recibo|ticket|comprobante)s? (?:fals[oa]s?|falsificad[oa]s?)|\bfalsificar (?:una |un )?(?:factura|recibo|ticket|comprobante)`) },
  { id: 'refund-fraud', category: 'harmful',
    re: re(r`\b(?:refund|rembours\w*|reembols\w*|money back)\b[^.!?\n]{0,60}\b(?:never (?:bought|purchased|ordered)|didn't (?:buy|order)|jamais (?:achete|commande)|pas achete|nunca (?:compre|pedi)|no compre)|\b(?:chargeback|charge back|dispute)\b[^.!?\n]{0,60}\b(?:trick|keep (?:the|my|it)|and keep|while keeping|even though i (?:got|received))|\b(?:chargeback|charge back) (?:scam|fraud)\b|\b(?:friendly fraud|refund scam|return fraud|wardrobing)\b|\b(?:scam|defraud|rip off|arnaquer|escroquer|estafar|timar)\s(?:the|your|this|la|votre|cette|tu|su|esta)?\s?(?:store|shop|company|boutique|entreprise|tienda|empresa)\b|\b(?:without getting caught|without being caught|sans (?:me|se|nous) faire (?:prendre|attraper|pincer)|sin que (?:me|nos|lo|la|le) (?:atrapen|pillen|descubran))\b`) },
];

// ---- other customers' data ------------------------------------------------------------------------------

const DATA_NOUN = r`\b(?:orders?|order history|purchases?|address(?:es)?|phone(?: numbers?)?|numbers?|contact (?:info|details)|details|info(?:rmation)?|account|payment|card|last four|where (?:he|she|they) lives?|ship(?:ped)? to|commandes?|achats?|adresses?|(?:numeros? de )?telephones?|coordonnees|infos?|informations|compte|paiement|carte|pedidos?|compras?|direccion(?:es)?|telefonos?|numero de telefono|datos|detalles|informacion|cuenta|pago|tarjeta)\b`;
const PURCHASE_VERB = re(r`\b(?:she|he|they|elle|il|ils|elles|ella|el|ellos) (?:has |have |had )?(?:ordered|bought|purchased|paid|a commande|a achete|ont commande|ont achete|a paye|pidio|compro|ha pedido|ha comprado|pago)\b`);
const CONTACT_NOUN = r`\b(?:address(?:es)?|phone(?: numbers?)?|(?:phone )?numbers?|e-?mails?|email address(?:es)?|contact (?:info|details)|personal (?:data|info|details)|cards?|card numbers?|last four|full names?|names|where (?:he|she|they) lives?|ship(?:ped)? to|adresses?|telephones?|numeros?(?: de telephone)?|courriels?|coordonnees|cartes?|noms|direccion(?:es)?|telefonos?|numeros?(?: de telefono)?|correos?(?: electronicos?)?|datos personales|tarjetas?|nombres|donde viven?)\b`;
const EMAIL_RE = /(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]{0,63}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}/g;
const SELF_BEFORE_EMAIL = re(r`(?:\b(?:my|mon|ma|mes|mi|mis|our|notre|nuestro)\s(?:\w+\s){0,3}(?:e-?mail|email address|address|courriel|adresse|correo|account|compte|cuenta|login)\b[^.!?\n]{0,12}|\b(?:i am|i'm|this is|c'est|je suis|soy|it's me|moi c'est|switch(?: it)? to|change(?: it)? to|update(?: it)? to|move(?: it)? to|use|utilise[rz]?|usa|cambia(?:la|lo)? a|remplace[rz]?(?: la| le)? par|sent to|went to|registered (?:with|under)|envoye a|envoyee a|llego a|enviado a)\s*:?\s*)$`);
const SELF_AFTER_EMAIL = re(r`^\s*[,)]?\s*(?:(?:that's|that is|it's|which is|is) (?:me|mine|my (?:email|account))|c'est (?:moi|mon (?:courriel|compte))|soy yo|es (?:el )?mi[oa]?(?: correo| cuenta)?)\b`);
const REQUEST = r`\b(?:what|which|where|who|tell|give|show|send|share|list|find|look up|lookup|check|can you|could you|i want|i need|i'd like|je veux|j'ai besoin|je voudrais|quiero|necesito|quisiera|quel(?:le)?s?|ou|donne|dis|montre|envoie|liste|trouve|verifie|cual(?:es)?|que|donde|quien|dame|dime|muestra|muestrame|envia|lista|busca|revisa|puedes|pueden|pouvez|peux|pasame|pasa|mandame|manda|enviame|donnez|donnez-moi|passe-moi|envoyez|envoyez-moi|fournissez)\b|\?`;
const THIRD_PARTY = r`\b(?:(?:my|our|the)\s(?:neighbou?r|ex|ex-wife|ex-husband|ex-girlfriend|ex-boyfriend|coworker|co-worker|colleague|boss|roommate|landlord|tenant)|(?:someone|somebody) (?:who|that|else)|another (?:person|customer|buyer)|the (?:person|guy|woman|man|customer|buyer) who|whoever|(?:mon|ma|notre)\s(?:voisin|voisine|ex|collegue|patron|patronne|coloc|colocataire|proprio)|la personne qui|celui qui|celle qui|quelqu'un (?:qui|d'autre)|un autre client|(?:mi|nuestro|nuestra)\s(?:vecin[oa]|ex|companer[oa]|jefe|jefa)|\bes mi (?:vecin[oa]|ex|prim[oa]|herman[oa]|amig[oa]|madre|padre|tia|tio|novi[oa])|\bc'est (?:ma|mon) (?:cousine?|soeur|frere|amie?|mere|pere)|\b(?:she's|he's|it's) my (?:cousin|sister|brother|friend|mom|dad)|quien (?:hizo|realizo|compro|pidio)|la persona que|alguien (?:que|mas)|otra persona|otro cliente)\b|\b(?:her|his|their)\s(?:phone|number|address|email|card|orders?|details|info|location)\b|\b(?:son|sa|ses|leur)\s(?:adresse|telephone|numero|courriel|carte|commandes?)\b`;
const THIRD_PARTY_RE = re(THIRD_PARTY);
const THIRD_PARTY_OWNED_RE = re(r`\b(?:her|his|their|son|sa|ses|leur|leurs)\s(?:\w+\s)?(?:phone|number|address|email|e-mail|card|location|adresse|telephone|numero|courriel|carte)|${CONTACT_NOUN}\s(?:\w+\s){0,2}(?:of|for|from|de|du|del|d')\s?(?:\w+\s){0,2}(?:neighbou?r|ex|coworker|colleague|the person|the guy|the woman|whoever|voisine?|collegue|la personne|celui|celle|vecin[oa]|companer[oa]|quien|la persona)`);
const SPEAKER_OWNED_RE = re(r`\b(?:my|mon|ma|mes|mi|mis|our|notre|nos|nuestr[oa]s?)\s(?:\w+\s)?(?:orders?|commandes?|pedidos?|address|adresse|direccion|account|compte|cuenta|package|parcel|colis|paquete|delivery|livraison|entrega)\b`);
// "customer 42", "client n° 42" — not "a customer 5 years running", not the speaker ("I'm customer 42").
const CUSTOMER_REF_NORM = re(r`(?<!\b(?:i'm|i am|je suis|soy|my|mon|mi|a|an|un|une|una|loyal|fidele|fiel)\s)\b(?:customer|client|cliente|clienta|user|usuario|usuaria|utilisateur|utilisatrice|member|membre|miembro)\s(?:#\s?|no\.?\s?|n°\s?|number\s|numero\s|id\s)?\d{1,9}\b(?!\s*(?:years?|yrs?|ans|annees|anos|months?|mois|meses|days?|jours|dias|weeks?|semaines|semanas|\+))`);
const CUSTOMER_NAME_ORIG = /(?<!\b(?:I'm|I am|Je suis|je suis|Soy|soy)\s)\b(?:[Cc]ustomer|[Cc]lient|[Cc]liente|[Cc]lienta|[Uu]ser|[Uu]suario|[Uu]suaria|[Uu]tilisateur|[Uu]tilisatrice|[Mm]ember|[Mm]embre)\s+(?!(?:Service|Services|Support|Care|Success|Experience|Relations|Team|Portal|Guide|Manual|Agreement|Interface|Account|Accounts|Number|ID|Satisfaction|Feedback|Review|Reviews|Club|Program|Programme|Programa|Rewards|Loyalty|Frecuente|Fid[eè]le|Premium|Gold|Silver|Platinum|VIP)\b)(?:[A-ZÀ-Þ][\p{L}'’-]+)(?:\s+[A-ZÀ-Þ][\p{L}'’-]+)?/u;
// A person named by first and last name, owning the data asked for ("l'adresse … d'Émilie Tremblay").
const NAMED_PERSON_DATA = /\b(?:address|phone|tracking|orders?|adresse|t[ée]l[ée]phone|suivi|commandes?|direcci[óo]n|tel[ée]fono|seguimiento|pedidos?)\b[^.!?\n]{0,60}\b(?:of|for|from|de|du|del|d['’])\s?(?:[A-ZÀ-Þ][\p{Ll}'’-]+)\s+(?!(?:Outfitters|Inc|Ltd|LLC|Store|Shop|Company|Co|Corp|Coffee|Tea|Support|Service|Services|Team|Express|Post|Canada)\b)(?:[A-ZÀ-Þ][\p{Ll}'’-]+)|\b[A-ZÀ-Þ][\p{Ll}'’-]+\s+[A-ZÀ-Þ][\p{Ll}'’-]+['’]s\s(?:\w+\s)?(?:address|phone|tracking|orders?|order|email)\b/u;
const MANY_CUSTOMERS = re(r`\b(?:(?:all|every|other|the other|the last \d+|the first \d+|\d+)\s(?:of\s)?(?:your\s|the\s)?(?:customers|clients|users|buyers|members|shoppers|accounts)|list(?:\sof)?(?:\sthe|\sall|\syour)*\s(?:customers|clients|users|buyers|members)|(?:customers|clients|users|buyers|people|persons|shoppers)\s(?:who|that|from \w+ who|in \w+ who)\s(?:bought|ordered|purchased|live|have)|(?:tous les|toutes les|tous vos|toutes vos|tous nos|les autres|les \d+ derniers|les \d+ premiers)\s(?:clients|clientes|utilisateurs|membres|acheteurs)|liste[rz]?(?: des| les)?(?: tous les)? (?:clients|utilisateurs|membres|acheteurs)|(?:clients|personnes|acheteurs) (?:de \w+ )?qui ont (?:achete|commande)|(?:todos los|todas las|todos sus|todos tus|los demas|otros|los ultimos \d+|los primeros \d+)\s(?:clientes|usuarios|compradores|miembros)|lista(?:r)?(?: de)?(?: los| todos los)? (?:clientes|usuarios|compradores)|(?:clientes|personas|compradores) (?:de \w+ )?que (?:compraron|pidieron))\b`);

const DATA_NOUN_RE = re(DATA_NOUN);
const CONTACT_NOUN_RE = re(CONTACT_NOUN);
const REQUEST_RE = re(REQUEST);
const LIST_RE = /\b(?:list|liste|lista)\b/;
const OWN_ORDERS_RE = /\b(?:my|mon|ma|mes|mi|mis)\s(?:\w+\s)?(?:orders?|commandes?|pedidos?|refund|remboursement|reembolso)\b/;

// Encoded payloads: a message that asks to follow what it carries.
const FOLLOW_CUE = re(r`\b(?:follow|execute|exec|obey|comply|apply|act on|do (?:it|this|that|what it says|as it says)|then do|run (?:it|this)|carry (?:it )?out|perform|suis(?:-la|-le|-les)?|suivez|executer?|executez|applique[rz]?|obei[rs]?|obeissez|fais(?:-le| ce qu'il dit| ce que ca dit)|faites(?:-le)?|obedece|ejecuta(?:lo|la)?|aplica(?:lo|la)?|siguel[oa]|haz (?:lo que dice|eso|esto)|hazlo|cumple(?:lo)?)\b`);
const PRIVILEGED_RE = re(PRIVILEGED);

// A fake role line in capitals ("SYSTEM:"), matched on the original text.
const UPPER_ROLE_LINE = /(?:^|\n|[.!?]\s)\s*\[?(?:SYSTEM|SYST[ÈE]ME|SISTEMA|ADMIN|ADMINISTRATOR|ADMINISTRATEUR|ADMINISTRADOR|DEVELOPER|D[ÉE]VELOPPEUR|DESARROLLADOR|ROOT|OPERATOR)\]?\s*(?:MESSAGE|PROMPT|NOTE|OVERRIDE|UPDATE)?\s*:/;

// ---- necessary literals ----------------------------------------------------------------------------------
// Most regexes cannot match most messages: one pass over the normalised text (and one over the original) finds the
// literals each regex needs (see literals.ts); a regex whose literals are all absent is not run. A text without
// them cannot match, nor can any part of it (a sentence), so the results are those of running every regex.

// Regexes run on the normalised text (or on one of its sentences): the rules first, then these, by index.
const NORM_AUX = {
  customerRef: CUSTOMER_REF_NORM,
  dataNoun: DATA_NOUN_RE,
  contactNoun: CONTACT_NOUN_RE,
  request: REQUEST_RE,
  speakerOwned: SPEAKER_OWNED_RE,
  manyCustomers: MANY_CUSTOMERS,
  list: LIST_RE,
  thirdParty: THIRD_PARTY_RE,
  thirdPartyOwned: THIRD_PARTY_OWNED_RE,
  followCue: FOLLOW_CUE,
};
type AuxName = keyof typeof NORM_AUX;
const AUX_NAMES = Object.keys(NORM_AUX) as AuxName[];
const NORM_GATE = new LiteralGate([...RULES.map((rule) => rule.re), ...AUX_NAMES.map((k) => NORM_AUX[k])]);
const AUX_INDEX = Object.fromEntries(AUX_NAMES.map((k, i) => [k, RULES.length + i])) as Record<AuxName, number>;

// Regexes run on the original text.
const ORIG_GATE = new LiteralGate([CUSTOMER_NAME_ORIG, NAMED_PERSON_DATA, UPPER_ROLE_LINE]);
const ORIG_CUSTOMER_NAME = 0;
const ORIG_NAMED_PERSON = 1;
const ORIG_UPPER_ROLE = 2;

/** `NORM_AUX[name].test(s)`, skipped when the gate over the normalised text (that `s` is part of) rules it out. */
function aux(may: Possible, name: AuxName, s: string): boolean {
  return mayMatch(may, AUX_INDEX[name]) && NORM_AUX[name].test(s);
}

function otherCustomerData(original: string, norm: string, ctx: InputContext, hits: Set<string>, may: Possible, mayOrig: Possible): void {
  const own = ctx.customerEmail?.trim().toLowerCase();
  const dataNoun = DATA_NOUN_RE;
  const request = REQUEST_RE;
  // (a) Somebody else's email with a request about their data.
  if (norm.includes('@')) {
    for (const sentence of sentences(norm)) {
      for (const m of sentence.matchAll(EMAIL_RE)) {
        if (m[0] === own) continue;
        const before = sentence.slice(Math.max(0, m.index - 60), m.index);
        const after = sentence.slice(m.index + m[0].length, m.index + m[0].length + 30);
        if (SELF_BEFORE_EMAIL.test(before) || SELF_AFTER_EMAIL.test(after)) continue;
        const rest = sentence.slice(0, m.index) + sentence.slice(m.index + m[0].length);
        if ((dataNoun.test(rest) || PURCHASE_VERB.test(rest)) && request.test(rest) && !OWN_ORDERS_RE.test(rest)) {
          hits.add('other-customer-email');
        }
      }
    }
  }
  // (b) A customer named by number or by name, with their data.
  if (
    (aux(may, 'customerRef', norm) || (mayMatch(mayOrig, ORIG_CUSTOMER_NAME) && CUSTOMER_NAME_ORIG.test(original))) &&
    aux(may, 'dataNoun', norm)
  ) {
    hits.add('customer-by-id');
  }
  const asks = aux(may, 'request', norm);
  if (mayMatch(mayOrig, ORIG_NAMED_PERSON) && NAMED_PERSON_DATA.test(original) && asks && !aux(may, 'speakerOwned', norm)) hits.add('named-person-data');
  // (c) Many customers at once, with their contact data or as a list.
  if (aux(may, 'manyCustomers', norm) && (aux(may, 'contactNoun', norm) || aux(may, 'list', norm))) hits.add('many-customers');
  // (d) A third person's contact data (neighbour, ex, "the person who ordered …", "her phone number").
  if (asks && mayMatch(may, AUX_INDEX.thirdParty) && mayMatch(may, AUX_INDEX.contactNoun)) {
    for (const sentence of sentences(norm)) {
      if (!THIRD_PARTY_RE.test(sentence) || !CONTACT_NOUN_RE.test(sentence)) continue;
      // "her phone number", "the address of my neighbour", "el teléfono de quien…": attached to the third person;
      // otherwise the sentence must not be about the speaker's own order or address.
      if (aux(may, 'thirdPartyOwned', sentence) || !aux(may, 'speakerOwned', sentence)) {
        hits.add('third-party-contact');
        break;
      }
    }
  }
}

// ---- the guardrail ------------------------------------------------------------------------------------------------

const ORDER: InputThreat[] = ['prompt_injection', 'jailbreak', 'system_prompt_extraction', 'other_customer_data', 'harmful', 'encoded_payload'];
const MAX_DEPTH = 2;


function evaluate(text: string, ctx: InputContext, depth: number, found: Map<InputThreat, Set<string>>): void {
  const variants = matchVariants(text);
  const norm = variants[0]!;
  const add = (c: InputThreat, id: string) => {
    let s = found.get(c);
    if (!s) found.set(c, (s = new Set()));
    s.add(id);
  };
  let mayNorm: Possible | undefined;
  for (const v of variants) {
    const may = NORM_GATE.possible(v);
    mayNorm ??= may;
    for (let i = 0; i < RULES.length; i++) {
      if (!mayMatch(may, i)) continue;
      const rule = RULES[i]!;
      if (rule.re.test(v) && (!rule.and || rule.and.test(v)) && !(rule.unless && rule.unless.test(v))) add(rule.category, rule.id);
    }
  }
  const mayOrig = ORIG_GATE.possible(text);
  if (mayMatch(mayOrig, ORIG_UPPER_ROLE) && UPPER_ROLE_LINE.test(text)) add('prompt_injection', 'fake-role-line');
  const hits = new Set<string>();
  otherCustomerData(text, norm, ctx, hits, mayNorm!, mayOrig);
  for (const id of hits) add('other_customer_data', id);

  if (depth >= MAX_DEPTH) return;
  const payloads = findEncodedPayloads(text);
  if (payloads.length === 0) return;
  const asksToFollow = aux(mayNorm!, 'followCue', norm);
  for (const p of payloads) {
    const inner = new Map<InputThreat, Set<string>>();
    evaluate(p.decoded, ctx, depth + 1, inner);
    const innerNorm = normalizeForMatch(p.decoded);
    const threat =
      inner.size > 0 || PRIVILEGED_RE.test(innerNorm) || (asksToFollow && looksLikeText(p.decoded, 3));
    if (!threat) continue;
    add('encoded_payload', p.encoding);
    for (const [c, ids] of inner) for (const id of ids) add(c, `${p.encoding}:${id}`);
  }
}

/** The input guardrail: `tripwireTriggered` when the message must not reach the agents. `info.reason` names the
 *  categories and rule ids (never the matched text), for logs and traces. */
export function checkInput(text: string, ctx: InputContext = {}): GuardrailResult<InputThreat> {
  const found = new Map<InputThreat, Set<string>>();
  if (text.trim().length > 0) evaluate(text, ctx, 0, found);
  const categories = ORDER.filter((c) => found.has(c));
  if (categories.length === 0) return { tripwireTriggered: false, info: { categories, reason: 'no threat detected' } };
  const reason = categories.map((c) => `${c} (${[...found.get(c)!].join(', ')})`).join('; ');
  return { tripwireTriggered: true, info: { categories, reason } };
}
