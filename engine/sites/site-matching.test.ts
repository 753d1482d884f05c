import { describe, expect, it } from 'vitest';
import { matchSites, type Site, type SiteSearch } from './site-matching.js';

const site = (overrides: Partial<Site> & Pick<Site, 'id'>): Site => ({
  name: overrides.id,
  municipality: 'Musterstadt',
  areaSqm: 5000,
  useTypes: ['gewerbe'],
  pricePerSqmEur: 45,
  availableFrom: null,
  motorwayKm: 10,
  railAccess: false,
  gigabit: false,
  ...overrides,
});

const search: SiteSearch = {
  areaSqm: 5000,
  useType: 'gewerbe',
  municipalities: [],
  needsRail: false,
  needsGigabit: false,
};

describe('matchSites', () => {
  it.each([
    ['wrong use type', site({ id: 'a', useTypes: ['einzelhandel'] })],
    ['too small (below 80 %)', site({ id: 'a', areaSqm: 3999 })],
    ['too large (above 300 %)', site({ id: 'a', areaSqm: 15001 })],
    ['available too late', site({ id: 'a', availableFrom: '2028-01-01' })],
  ])('leaves out a site that is %s', (_why, candidate) => {
    expect(matchSites({ ...search, neededBy: '2027-06-30' }, [candidate])).toEqual([]);
  });

  it('leaves out sites without rail, gigabit or motorway access when these are required', () => {
    const catalog = [site({ id: 'plain' }), site({ id: 'full', railAccess: true, gigabit: true, motorwayKm: 2 })];
    const found = matchSites({ ...search, needsRail: true, needsGigabit: true, maxMotorwayKm: 5 }, catalog);
    expect(found.map((match) => match.siteId)).toEqual(['full']);
  });

  it('ranks by closeness of area, then preferred municipality, motorway and gigabit, and explains why', () => {
    const catalog = [
      site({ id: 'far-too-big', areaSqm: 12000 }),
      site({ id: 'exact', areaSqm: 5000 }),
      site({ id: 'exact-in-wish-town', areaSqm: 5000, municipality: 'Nordheim', motorwayKm: 3, gigabit: true }),
    ];
    const found = matchSites({ ...search, municipalities: ['Nordheim'] }, catalog);
    expect(found.map((match) => match.siteId)).toEqual(['exact-in-wish-town', 'exact', 'far-too-big']);
    expect(found[0]?.reasons).toEqual([
      '5.000 m² für 5.000 m² Bedarf',
      'in der Wunschgemeinde Nordheim',
      '3 km zur Autobahn',
      'Glasfaser verfügbar',
    ]);
  });

  it('returns at most the limit', () => {
    const catalog = Array.from({ length: 8 }, (_, index) => site({ id: `s${index}` }));
    expect(matchSites(search, catalog, 3)).toHaveLength(3);
  });
});
