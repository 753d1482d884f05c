/**
 * Scores commercial sites against a company's site search (Standortsuche). Pure: the `site-matching`
 * job reads the catalog and the case variables and calls this.
 */

export interface Site {
  id: string;
  name: string;
  municipality: string;
  areaSqm: number;
  useTypes: string[];
  pricePerSqmEur: number | null;
  availableFrom: string | null;
  motorwayKm: number | null;
  railAccess: boolean;
  gigabit: boolean;
}

export interface SiteSearch {
  /** Needed area in m²; sites from 80 % to 300 % of it are considered. */
  areaSqm: number;
  useType: string;
  /** Preferred municipalities; empty means anywhere in the Kreis. */
  municipalities: string[];
  /** ISO date by which the site must be available; absent means any time. */
  neededBy?: string;
  needsRail: boolean;
  needsGigabit: boolean;
  maxMotorwayKm?: number;
}

export interface SiteMatch {
  siteId: string;
  name: string;
  municipality: string;
  areaSqm: number;
  pricePerSqmEur: number | null;
  score: number;
  /** Why it fits, in German, for the caseworker and the company. */
  reasons: string[];
}

const MIN_AREA_SHARE = 0.8;
const MAX_AREA_SHARE = 3;

/** Sites that meet every hard requirement, best first (at most `limit`). */
export function matchSites(search: SiteSearch, catalog: Site[], limit = 5): SiteMatch[] {
  return catalog
    .filter((site) => meetsRequirements(search, site))
    .map((site) => scored(search, site))
    .sort((a, b) => b.score - a.score || a.siteId.localeCompare(b.siteId))
    .slice(0, limit);
}

function meetsRequirements(search: SiteSearch, site: Site): boolean {
  return (
    site.useTypes.includes(search.useType) &&
    site.areaSqm >= search.areaSqm * MIN_AREA_SHARE &&
    site.areaSqm <= search.areaSqm * MAX_AREA_SHARE &&
    (!search.needsRail || site.railAccess) &&
    (!search.needsGigabit || site.gigabit) &&
    (search.maxMotorwayKm === undefined || (site.motorwayKm !== null && site.motorwayKm <= search.maxMotorwayKm)) &&
    (!search.neededBy || !site.availableFrom || site.availableFrom <= search.neededBy)
  );
}

function scored(search: SiteSearch, site: Site): SiteMatch {
  const reasons = [
    `${site.areaSqm.toLocaleString('de-DE')} m² für ${search.areaSqm.toLocaleString('de-DE')} m² Bedarf`,
  ];
  // Closeness of area counts most: a site twice as large costs the company more than it helps.
  let score = 60 * (1 - Math.min(1, Math.abs(site.areaSqm - search.areaSqm) / search.areaSqm));
  if (search.municipalities.includes(site.municipality)) {
    score += 25;
    reasons.push(`in der Wunschgemeinde ${site.municipality}`);
  }
  if (site.motorwayKm !== null && site.motorwayKm <= 5) {
    score += 10;
    reasons.push(`${site.motorwayKm} km zur Autobahn`);
  }
  if (site.gigabit) {
    score += 5;
    reasons.push('Glasfaser verfügbar');
  }
  if (site.railAccess && search.needsRail) reasons.push('Gleisanschluss');
  return {
    siteId: site.id,
    name: site.name,
    municipality: site.municipality,
    areaSqm: site.areaSqm,
    pricePerSqmEur: site.pricePerSqmEur,
    score: Math.round(score),
    reasons,
  };
}
