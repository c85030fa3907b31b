/**
 * Saving and loading tensors as bytes, in the safetensors format: no file system here, so it runs in the browser
 * too. Training checkpoints (model, optimizer, scheduler, generator, epoch) are safetensors files as well. Node
 * users who want files use `saveFile`/`loadFile`/`loadCheckpointFile` from `tapegrad/node`.
 * @module io
 */
export { saveSafetensors, loadSafetensors, readSafetensorsMetadata, SafetensorsError } from './safetensors.js';
export {
  saveCheckpoint, loadCheckpoint, restoreCheckpoint, CheckpointError,
  type Checkpoint, type LoadedCheckpoint, type RestoreTargets, type OptimizerStateDict, type Stateful,
} from './checkpoint.js';
