// The page and the worker import the browser bundle (dist/browser/tapegrad.min.js, served beside them); its types
// are the library's.
export * from '../../../src/index.js';
