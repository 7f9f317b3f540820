// The knowledge-retrieval agent's knowledge base: chunking, embedding, storage and hybrid search.
export { chunkJson, chunkMarkdown, KbSourceError, parseDocument, readKnowledgeFolder } from './chunk.js';
export type { ChunkOptions, KbChunk, KbDocument, KbFolder, LanguageOrigin } from './chunk.js';
export { HASHED_NGRAMS_ID, HashedNgramEmbedder } from './embed.js';
export type { Embedder } from './embed.js';
export { ftsQuery, Searcher } from './search.js';
export type { KbSearchHit, QueryPlan, SearchMode, SearchOptions } from './search.js';
export { expansionTerms } from './lexicon.js';
export { EmbedderMismatchError, KnowledgeBase, openKnowledgeBase } from './store.js';
export type { Database, IngestOptions, IngestProgress, IngestResult, KbInfo } from './store.js';
