import { summarizeAnswers } from '../forms/summary.js';
import type { Locale } from '../forms/model.js';
import type { ServiceVersion } from '../engine/services/catalog.service.js';
import { caseResultOf, resultConfigOf } from '../engine/services/case-result.js';
import type { DocumentRow } from '../engine/repositories/document.repository.js';
import { fileSize } from './applicant.js';

/**
 * The case page's "Ergebnis" block: the answered fields of the version's result form as label/value lines
 * (a definition list — read, not edited) and the public documents among the case's. Undefined until the case
 * has set one of them, so no empty block shows before the outcome exists.
 */
export function caseResultView(
  version: Pick<ServiceVersion, 'forms' | 'files'> | undefined,
  caseId: string,
  variables: Record<string, unknown>,
  caseDocuments: DocumentRow[],
  locale: Locale,
) {
  const config = resultConfigOf(version?.files?.['service.json']);
  const result = version ? caseResultOf(config, version.forms, variables) : undefined;
  if (!result) return undefined;
  // All variables resolve option labels (a checklist's `valuesExpression`); only the result form's values are shown.
  const answers = summarizeAnswers(result.form, result.values, locale, variables);
  const documents = result.documentIds.flatMap((id) => {
    const document = caseDocuments.find((candidate) => candidate.id === id);
    return document
      ? [
          {
            fileName: document.fileName,
            sizeText: fileSize(document.size, locale),
            href: `/cases/${caseId}/documents/${document.id}`,
          },
        ]
      : [];
  });
  return answers.length > 0 || documents.length > 0 ? { answers, documents } : undefined;
}
