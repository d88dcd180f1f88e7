import { describe, expect, it } from 'vitest';
import { stemEn, termsOf } from './kb-terms.js';

describe('stemEn', () => {
  it('brings plural, -ing and -ed forms of a word to one stem', () => {
    expect(new Set(['ship', 'ships', 'shipped', 'shipping'].map(stemEn))).toEqual(new Set(['ship']));
    expect(new Set(['size', 'sizes', 'sizing'].map(stemEn))).toEqual(new Set(['siz']));
  });

  it('treats British double-l forms like the base word', () => {
    expect(stemEn('cancelled')).toBe(stemEn('cancel'));
    expect(stemEn('called')).toBe('call');
  });

  it('maps common irregular past forms to their base form', () => {
    expect(stemEn('sent')).toBe(stemEn('send'));
    expect(stemEn('paid')).toBe('pay');
    expect(stemEn('tried')).toBe('try');
  });
});

describe('termsOf', () => {
  it('drops chat filler and the stems left of negative contractions', () => {
    expect(termsOf("hey, it still hasn't shipped right now")).toEqual(['ship']);
  });

  it('keeps "where", which tells tracking questions apart', () => {
    expect(termsOf('where is my order')).toEqual([stemEn('where'), 'order']);
  });
});
