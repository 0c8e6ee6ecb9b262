import { describe, expect, it } from 'vitest';
import { idSchema, paginationQuery, text } from './common.js';

describe('text', () => {
  const name = text(5);

  it('trims and accepts printable text, unicode included', () => {
    expect(name.parse('  Zoë ')).toBe('Zoë');
  });

  it('refuses empty, too long and control characters', () => {
    expect(name.safeParse('   ').error?.issues[0]?.message).toBe('must not be empty');
    expect(name.safeParse('abcdef').error?.issues[0]?.message).toBe('must be at most 5 characters');
    expect(name.safeParse('a\u0000b').error?.issues[0]?.message).toBe('must not contain control characters');
    expect(name.safeParse('a\nb').success).toBe(false);
  });
});

describe('paginationQuery', () => {
  it('defaults to the first 20', () => {
    expect(paginationQuery.parse({})).toEqual({ limit: 20, offset: 0 });
  });

  it('reads whole numbers in range and refuses anything else', () => {
    expect(paginationQuery.parse({ limit: '5', offset: '10' })).toEqual({ limit: 5, offset: 10 });
    for (const limit of ['0', '101', '-1', '1.5', 'ten', '']) expect(paginationQuery.safeParse({ limit }).success, limit).toBe(false);
    expect(paginationQuery.safeParse({ limit: ['1', '2'] }).success).toBe(false);
  });
});

describe('idSchema', () => {
  it('accepts UUIDs and refuses numbers, SQL and near-misses', () => {
    expect(idSchema.safeParse('0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11').success).toBe(true);
    for (const id of ['42', "1' OR '1'='1", '0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a1', '']) expect(idSchema.safeParse(id).success, id).toBe(false);
  });

  it('says a missing id is required, and a wrong one is not a UUID', () => {
    expect(idSchema.safeParse(undefined).error?.issues[0]?.message).toBe('is required');
    expect(idSchema.safeParse(42).error?.issues[0]?.message).toBe('must be a UUID');
  });
});

describe('text with nothing visible', () => {
  it('is refused with one problem, and an empty or control-character one still says what is wrong with it', () => {
    const name = text(20);
    expect(name.safeParse('\u200b\u2060').error?.issues.map((issue) => issue.message)).toEqual(['must contain a visible character']);
    expect(name.safeParse('  ').error?.issues.map((issue) => issue.message)).toEqual(['must not be empty']);
    expect(name.safeParse('\u0000').error?.issues.map((issue) => issue.message)).toEqual(['must not contain control characters']);
  });
});
