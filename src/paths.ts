// Where the installed package's own files live (templates, shipped data), from dist/ or src/ alike.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const templatesDir = path.join(packageRoot, 'templates');
/** The demo shop's data folder: what an environment without `shop.data` serves. */
export const demoShopDir = path.join(packageRoot, 'data', 'demo-shop');
