import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileDecisions, decisionIssuesToText } from './compile-decisions.js';
import type { DecisionModel } from './decision-model.js';
import { evaluateDecision } from './evaluate-decision.js';

// The funding inquiry (Förderanfrage) suggests programmes from four answers. The programmes and rates in the
// fixture are plausible examples; the agency's funding advisors own the real table.
const compiled = await compileDecisions(
  readFileSync(new URL('./fixtures/funding-eligibility.dmn', import.meta.url), 'utf8'),
);
if (!compiled.ok) {
  throw new Error(`funding-eligibility.dmn does not compile:\n${decisionIssuesToText(compiled.errors)}`);
}
const fundingEligibility: DecisionModel = compiled.decisions[0] ?? expect.unreachable('no decision in the fixture');

interface Suggestion {
  programmeId: string;
  programmeName: string;
  fundingRateHint: string;
}

function isSuggestionList(value: unknown): value is Suggestion[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null);
}

/** The programme ids and rate hints suggested for an inquiry; null when nothing fits. */
function suggest(inquiry: Record<string, unknown>): string[] | null {
  const evaluated = evaluateDecision(fundingEligibility, inquiry);
  if (!evaluated.ok) {
    throw new Error(evaluated.message);
  }
  if (evaluated.result === null) {
    return null;
  }
  if (!isSuggestionList(evaluated.result)) {
    throw new Error(`expected a list of suggestions, got ${JSON.stringify(evaluated.result)}`);
  }
  return evaluated.result.map((suggestion) => `${suggestion.programmeId}: ${suggestion.fundingRateHint}`);
}

describe('funding-eligibility.dmn: programme suggestions for a Förderanfrage', () => {
  it.each([
    {
      situation: 'a craftsman founding a small business',
      inquiry: { companySize: 'kleinst', sector: 'handwerk', projectType: 'gruendung', investmentVolume: 15000 },
      suggestions: [
        'meistergruendungspraemie: einmaliger Zuschuss bis 10.000 €',
        'mikrodarlehen: Darlehen bis 25.000 €, ohne bankübliche Sicherheiten',
        'beratungsfoerderung: 50 bis 80 % Zuschuss zu den Beratungskosten',
      ],
    },
    {
      situation: 'a larger start-up in IT',
      inquiry: { companySize: 'kleinst', sector: 'it', projectType: 'gruendung', investmentVolume: 120000 },
      suggestions: [
        'gruendungsdarlehen: zinsgünstiges Darlehen bis 100 % der Gründungskosten',
        'beratungsfoerderung: 50 bis 80 % Zuschuss zu den Beratungskosten',
      ],
    },
    {
      situation: 'a small IT company digitalising',
      inquiry: { companySize: 'klein', sector: 'it', projectType: 'digitalisierung', investmentVolume: 30000 },
      suggestions: [
        'digitalbonus: bis zu 50 % Zuschuss, höchstens 10.000 €',
        'erp-foerderkredit: zinsgünstiges Darlehen bis 100 % der Investitionskosten',
        'beratungsfoerderung: 50 bis 80 % Zuschuss zu den Beratungskosten',
      ],
    },
    {
      situation: 'a medium-sized manufacturer investing',
      inquiry: { companySize: 'mittel', sector: 'industrie', projectType: 'investition', investmentVolume: 800000 },
      suggestions: [
        'grw-investitionszuschuss: bis zu 20 % Zuschuss',
        'erp-foerderkredit: zinsgünstiges Darlehen bis 100 % der Investitionskosten',
        'beratungsfoerderung: 50 bis 80 % Zuschuss zu den Beratungskosten',
      ],
    },
    {
      situation: 'a large manufacturer with a big investment',
      inquiry: { companySize: 'gross', sector: 'industrie', projectType: 'investition', investmentVolume: 2000000 },
      suggestions: [
        'grw-investitionszuschuss: bis zu 10 % Zuschuss',
        'erp-foerderkredit: zinsgünstiges Darlehen bis 100 % der Investitionskosten',
      ],
    },
    {
      situation: 'a small retailer investing (retail is excluded from GRW)',
      inquiry: { companySize: 'klein', sector: 'handel', projectType: 'investition', investmentVolume: 100000 },
      suggestions: [
        'erp-foerderkredit: zinsgünstiges Darlehen bis 100 % der Investitionskosten',
        'beratungsfoerderung: 50 bis 80 % Zuschuss zu den Beratungskosten',
      ],
    },
    {
      situation: 'a guesthouse investing',
      inquiry: { companySize: 'kleinst', sector: 'tourismus', projectType: 'investition', investmentVolume: 60000 },
      suggestions: [
        'grw-investitionszuschuss: bis zu 30 % Zuschuss',
        'erp-foerderkredit: zinsgünstiges Darlehen bis 100 % der Investitionskosten',
        'tourismus-investition: bis zu 35 % Zuschuss',
        'beratungsfoerderung: 50 bis 80 % Zuschuss zu den Beratungskosten',
      ],
    },
    {
      situation: 'a small innovation project',
      inquiry: { companySize: 'klein', sector: 'dienstleistung', projectType: 'innovation', investmentVolume: 40000 },
      suggestions: [
        'innovationsgutschein: bis zu 50 % der Kosten für externe Forschung und Entwicklung',
        'beratungsfoerderung: 50 bis 80 % Zuschuss zu den Beratungskosten',
      ],
    },
    {
      situation: 'a large R&D project of a medium-sized company',
      inquiry: { companySize: 'mittel', sector: 'industrie', projectType: 'innovation', investmentVolume: 250000 },
      suggestions: [
        'zim: 25 bis 45 % Zuschuss, je nach Unternehmensgröße',
        'beratungsfoerderung: 50 bis 80 % Zuschuss zu den Beratungskosten',
      ],
    },
    {
      situation: 'an inquiry without an investment volume (volume-bound programmes are left out)',
      inquiry: { companySize: 'klein', sector: 'it', projectType: 'digitalisierung' },
      suggestions: ['beratungsfoerderung: 50 bis 80 % Zuschuss zu den Beratungskosten'],
    },
    {
      situation: 'a large retailer with an innovation project (nothing fits: null, as in Camunda 8)',
      inquiry: { companySize: 'gross', sector: 'handel', projectType: 'innovation', investmentVolume: 50000 },
      suggestions: null,
    },
  ])('suggests programmes for $situation', ({ inquiry, suggestions }) => {
    // Given the answers of a funding inquiry
    // When the decision runs
    // Then it suggests the fitting programmes in rule order, each with a funding rate hint
    expect(suggest(inquiry)).toEqual(suggestions);
  });

  it('returns each programme with its German name, and reports the matched rules', () => {
    const evaluated = evaluateDecision(fundingEligibility, {
      companySize: 'kleinst',
      sector: 'tourismus',
      projectType: 'investition',
      investmentVolume: 60000,
    });

    expect(evaluated).toMatchObject({
      ok: true,
      result: [
        {
          programmeId: 'grw-investitionszuschuss',
          programmeName: 'GRW-Investitionszuschuss (Regionale Wirtschaftsstruktur)',
        },
        { programmeId: 'erp-foerderkredit', programmeName: 'ERP-Förderkredit' },
        { programmeId: 'tourismus-investition', programmeName: 'Investitionszuschuss Tourismus' },
        { programmeId: 'beratungsfoerderung', programmeName: 'Förderung unternehmerischen Know-hows' },
      ],
      matchedRules: ['Rule_GrwSmall', 'Rule_ErpLoan', 'Rule_Tourism', 'Rule_Advice'],
    });
  });

  it('never suggests a programme twice, whatever the answers', () => {
    const answers = {
      companySize: ['kleinst', 'klein', 'mittel', 'gross'],
      sector: ['handwerk', 'industrie', 'dienstleistung', 'handel', 'it', 'tourismus', 'landwirtschaft'],
      projectType: ['investition', 'innovation', 'gruendung', 'digitalisierung'],
      investmentVolume: [0, 4000, 25000, 50000, 100000, 500000, null],
    };
    for (const companySize of answers.companySize) {
      for (const sector of answers.sector) {
        for (const projectType of answers.projectType) {
          for (const investmentVolume of answers.investmentVolume) {
            const ids = (suggest({ companySize, sector, projectType, investmentVolume }) ?? []).map(
              (suggestion) => suggestion.split(':')[0],
            );
            expect(new Set(ids).size, `${companySize}/${sector}/${projectType}/${investmentVolume}`).toBe(ids.length);
          }
        }
      }
    }
  });
});
