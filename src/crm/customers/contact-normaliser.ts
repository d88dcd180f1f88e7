/** Canonical forms for contact data, so the same phone or e-mail always matches the same identity. */

/** `+86 138-0013-8000` → `13800138000`; other countries keep their `+` form. Undefined if not a phone. */
export function normalisePhone(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  const half = input.replace(/[０-９＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const digits = half.replace(/[\s\-().]/g, '');
  if (/^(?:\+?86)?1[3-9]\d{9}$/.test(digits)) return digits.slice(-11);
  if (/^\+\d{8,15}$/.test(digits)) return digits;
  if (/^00\d{8,15}$/.test(digits)) return `+${digits.slice(2)}`;
  return undefined;
}

export function normaliseEmail(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  const e = input.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : undefined;
}

/** Masks a phone for display to someone who already proved they own it: 138****8000. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
