import type { Db } from '../../db/database-client.js';

export interface CatalogEntry {
  sku: string;
  nameZh: string;
  nameEn: string;
  category: string;
  priceCents: number;
  stock: number;
}

const FIELDS = { sku: true, nameZh: true, nameEn: true, category: true, priceCents: true, stock: true } as const;

/** The shop's catalog as the bot needs it (names for matching, price and stock for answers). */
export async function listCatalog(db: Db): Promise<CatalogEntry[]> {
  return db.product.findMany({ select: FIELDS, orderBy: { sku: 'asc' } });
}

export async function getProductBySku(db: Db, sku: string): Promise<CatalogEntry | undefined> {
  return (await db.product.findUnique({ where: { sku }, select: FIELDS })) ?? undefined;
}
