import type { RuntimeDocument } from './kernel';
import document from './connector.json';

/** The connector's runtime document, shipped as JSON: everything the kernel decides from. */
export const DOC = document as unknown as RuntimeDocument;
