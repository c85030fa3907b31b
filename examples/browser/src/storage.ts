/**
 * Keeping checkpoints in the browser: as a downloaded .safetensors file (readable by tapegrad/node's loadFile, by
 * io.loadCheckpoint anywhere, and by Python's safetensors), and in IndexedDB, which survives reloads.
 */

export const DB_NAME = 'tapegrad-demo';
export const STORE = 'checkpoints';
export const KEY = 'latest';

/** What is stored under {@link KEY}. */
export interface StoredCheckpoint {
  bytes: ArrayBuffer;
  step: number;
  epoch: number;
  savedAt: string;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

async function transact<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDatabase();
  try {
    const tx = db.transaction(STORE, mode);
    const result = await request(body(tx.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result;
  } finally {
    db.close();
  }
}

export async function saveToIndexedDB(bytes: Uint8Array, step: number, epoch: number): Promise<void> {
  // A copy of exactly these bytes (the view may be part of a larger buffer).
  const copy = bytes.slice().buffer;
  const record: StoredCheckpoint = { bytes: copy, step, epoch, savedAt: new Date().toISOString() };
  await transact('readwrite', (store) => store.put(record, KEY));
}

export async function loadFromIndexedDB(): Promise<StoredCheckpoint | undefined> {
  return (await transact('readonly', (store) => store.get(KEY))) as StoredCheckpoint | undefined;
}

/** Offers `bytes` as a file download (a Blob URL on a temporary link). */
export function downloadBytes(bytes: Uint8Array, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes.slice().buffer], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the time the click returns; the URL is released a little later to be safe.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
