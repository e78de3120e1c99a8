// jsdom ships no types and @types/jsdom is not installed; the e2e test only
// needs this much of it (a strict XML parse of the downloaded SVG).
declare module 'jsdom' {
  export class JSDOM {
    constructor(markup: string, options?: { contentType?: string });
    readonly window: { document: Document };
  }
}
