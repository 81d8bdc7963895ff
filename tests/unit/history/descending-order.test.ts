import { describe, expect, it } from 'vitest';
import { byName, type ContactSummary } from '../../../main/core/history/contact-queries';
import { columnComparator } from '../../../main/core/history/list-views';
import { descendingOf } from '../../../main/core/history/search-table';

/** Rows with few distinct companies and times, so most rows tie with others. */
function rows(count: number): ContactSummary[] {
  const companies = [undefined, '', 'Acme', 'acme', 'Ácme', 'Beta', 'Zeta', 'zeta'];
  return Array.from({ length: count }, (_, at): ContactSummary => ({
    id: `c${at}`,
    userKey: 'a/u',
    displayName: `Person ${at}`,
    organization: companies[(at * 7) % companies.length],
    folderIds: [],
    hasPhoto: false,
    deleted: false,
    versions: 1,
    updatedAt: `2026-01-0${1 + ((at * 3) % 5)}T00:00:00.000Z`,
  }));
}

describe('the company order', () => {
  it('is the collator order, though plain names are compared by code units', () => {
    const summaries = rows(500).map((row, at) => ({
      ...row,
      organization: [row.organization, 'Smith-Jones Ltd.', 'smith jones', 'Müller AG', 'mueller ag'][at % 5],
    }));
    const positions = summaries.map((_, at) => at);
    const byCollator = [...positions].sort((a, b) => {
      const x = summaries[a].organization ?? '';
      const y = summaries[b].organization ?? '';
      if (!x || !y) return x ? -1 : y ? 1 : 0;
      return byName.compare(x, y);
    });
    expect([...positions].sort(columnComparator(summaries, { sort: 'company' }))).toEqual(byCollator);
  });
});

describe('descendingOf', () => {
  it('gives the order a stable descending sort gives, without sorting again', () => {
    const summaries = rows(500);
    for (const sort of ['company', 'updated'] as const) {
      const positions = summaries.map((_, at) => at);
      const ascending = [...positions].sort(columnComparator(summaries, { sort, descending: false }));
      const expected = [...positions].sort(columnComparator(summaries, { sort, descending: true }));
      const lastAlways = sort === 'company' ? (at: number) => !summaries[at]!.organization : () => false;
      const derived = descendingOf(ascending, columnComparator(summaries, { sort }), lastAlways);
      expect(derived).toEqual(expected);
      // Not simply the reverse: ties keep their order.
      expect(derived).not.toEqual([...ascending].reverse());
    }
  });
});
