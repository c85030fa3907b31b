/**
 * Saving and loading tensors as bytes, in the safetensors format: no file system here, so it runs in the browser
 * too. Node users who want files use `saveFile`/`loadFile` from `tapegrad/node`.
 * @module io
 */
export { saveSafetensors, loadSafetensors, readSafetensorsMetadata, SafetensorsError } from './safetensors.js';
