export type ImportKind = 'customers' | 'products' | 'orders';

export const IMPORT_KINDS: readonly ImportKind[] = ['customers', 'products', 'orders'];

/**
 * Outcome of one CSV import. `total` counts records (a customer or product row; an order, which
 * may span several item rows); imported + unchanged + rejected records = total. `failed` lists
 * every bad line with its reason; an order rejected for one bad item row lists that line.
 */
export interface ImportReport {
  kind: ImportKind;
  total: number;
  imported: number;
  unchanged: number;
  failed: { line: number; reason: string }[];
}

export interface ImportOptions {
  onProgress?: (done: number, total: number) => void;
  /** Time stamped on consents and events written by the import (default: now). */
  now?: Date;
  /** Time zone for times given without an offset (default Asia/Shanghai). */
  timeZone?: string;
  /** Regular expression order numbers must match (default `SD\d{10}`, as ORDER_NUMBER_PATTERN). */
  orderNumberPattern?: string;
}

/** Report progress about every 1% so a 100k-row file does not flood the terminal. */
export function progressReporter(total: number, onProgress?: (done: number, total: number) => void): (done: number) => void {
  const step = Math.max(1, Math.floor(total / 100));
  return (done) => { if (onProgress && (done % step === 0 || done === total)) onProgress(done, total); };
}
