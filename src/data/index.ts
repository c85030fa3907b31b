/**
 * data: datasets and mini-batch loading. A {@link Dataset} is anything with `length` and `get(i)`;
 * {@link TensorDataset} wraps tensors that share their first dim; {@link DataLoader} serves batches, shuffled by a
 * seeded Generator; {@link randomSplit} divides a dataset into random subsets.
 * @module
 */
export { type Dataset, TensorDataset, Subset, randomSplit, randperm } from './dataset.js';
export { DataLoader, defaultCollate, type DataLoaderOptions, type Collated } from './dataloader.js';
