// Text normalisation shared by the chunker, the embedder and the search: one notion of "a word" everywhere.

/** Lowercase, accents removed (NFKD, combining marks dropped): "Envío" → "envio", "Québec" → "quebec". */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Accent-folded lowercase words (letters and digits; apostrophes and hyphens split: "l'article" → l, article). */
export function words(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

// Function words of en, fr and es (accent-folded), plus the question and request words customers wrap a topic in
// ("how do I…", "puis-je…", "quiero…"). They carry no topic, so the search and the embedder ignore them.
const EN =
  'a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing done down during each few for from further get got had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own please same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves im ive id dont doesnt didnt cant cannot wont isnt arent wasnt s t d ll m re ve hi hello thanks thank also still want need know tell like one may might must shall us let lets';
const FR =
  'a au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je j la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui quoi sa se ses son sur ta te tes toi ton tu un une vos votre vous c d l m n s t y est sont ai as avons avez ont suis es etes etait ete etre avoir fait faire peut peux puis pouvez pourrais pourriez veux voudrais voulez dois doit comment quand combien quel quelle quels quelles pourquoi ceci cela ca tout tous toute toutes tres plus moins bien aussi bonjour merci svp sil plait si donc alors chez lors entre sans sous vers';
const ES =
  'a al algo como con contra cual cuales cuando cuanto cuanta cuantos cuantas de del desde donde el ella ellas ellos en entre era es esa ese eso esta estas este esto estos estoy esta estan fue ha han hay he la las le les lo los me mi mis mucho muy nada ni no nos nosotros o os otra otro para pero poco por porque que quien se sea ser si sin sobre su sus tambien te tengo tiene tienen ti tu tus un una uno unos unas usted ustedes y ya yo puedo puede pueden quiero quisiera necesito hola gracias favor hacer hago mas menos';

export const STOP_WORDS: ReadonlySet<string> = new Set([EN, FR, ES].flatMap((list) => list.split(' ')).map(fold));

/** Topic words of a text: folded words minus stop words (digits kept: "150", "30"). */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /\d/.test(w)));
}
