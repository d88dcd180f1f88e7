import { z } from 'zod';
import type { Db } from '../../db/database-client.js';
import { firstIssue, readCsv } from './csv-reader.js';
import { bool, integer, money, requiredText, text } from './import-fields.js';
import { progressReporter, type ImportOptions, type ImportReport } from './import-report.js';

export const PRODUCT_COLUMNS = {
  required: ['sku', 'category', 'price'],
  optional: ['name_zh', 'name_en', 'stock', 'returnable'],
} as const;

const Row = z.object({
  sku: requiredText('sku', 64).refine((v) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v), { message: 'sku may only contain letters, digits, ".", "_" and "-"' }),
  name_zh: text('name_zh', 200),
  name_en: text('name_en', 200),
  category: requiredText('category', 40).refine((v) => /^[a-z][a-z0-9_]*$/.test(v), { message: 'category must be a lower-case slug like personal_care' }),
  price: money('price'),
  stock: integer('stock', 0),
  returnable: bool('returnable'),
}).superRefine((r, ctx) => {
  if (r.price === undefined) ctx.addIssue({ code: 'custom', message: 'price is required' });
  if (!r.name_zh && !r.name_en) ctx.addIssue({ code: 'custom', message: 'name_zh or name_en is required' });
});

/** Imports products keyed by SKU: new ones are created, changed ones updated, identical ones left alone. */
export async function importProducts(db: Db, filePath: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const rows = await readCsv(filePath, PRODUCT_COLUMNS);
  const report: ImportReport = { kind: 'products', total: rows.length, imported: 0, unchanged: 0, failed: [] };
  const progress = progressReporter(rows.length, opts.onProgress);
  const seen = new Map<string, { line: number; key: string }>();
  let done = 0;
  for (const row of rows) {
    progress(++done);
    const fail = (reason: string) => report.failed.push({ line: row.line, reason });
    if (row.cells.__extra) { fail(`${row.cells.__extra} more cell(s) than the header has columns`); continue; }
    const parsed = Row.safeParse(row.cells);
    if (!parsed.success) { fail(firstIssue(parsed.error.issues)); continue; }
    const r = parsed.data;
    const data = {
      sku: r.sku, nameZh: r.name_zh ?? r.name_en ?? '', nameEn: r.name_en ?? r.name_zh ?? '', category: r.category,
      priceCents: r.price ?? 0, stock: r.stock ?? 0, returnable: r.returnable ?? true,
    };
    const key = JSON.stringify(data);
    const earlier = seen.get(r.sku);
    if (earlier) {
      if (earlier.key === key) report.unchanged++;
      else fail(`sku "${r.sku}" appears again with different values (first on line ${earlier.line})`);
      continue;
    }
    seen.set(r.sku, { line: row.line, key });
    const existing = await db.product.findUnique({ where: { sku: r.sku } });
    if (!existing) {
      await db.product.create({ data });
      report.imported++;
    } else if ((Object.keys(data) as (keyof typeof data)[]).every((k) => existing[k] === data[k])) {
      report.unchanged++;
    } else {
      await db.product.update({ where: { sku: r.sku }, data });
      report.imported++;
    }
  }
  return report;
}
