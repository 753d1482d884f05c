/**
 * The status a company reads: the `status` property a model writes on its elements (German, the model's language),
 * named in the page's language by the service's `statusLabels` (service.json, edited in the designer). A status
 * without a label reads as written, in both languages.
 */
export interface StatusLabel {
  de: string;
  en: string;
}

export function publicStatusLabel(status: string, labels: unknown): StatusLabel {
  const label: unknown = typeof labels === 'object' && labels !== null ? Reflect.get(labels, status) : undefined;
  const text = (locale: 'de' | 'en'): string => {
    const value: unknown = typeof label === 'object' && label !== null ? Reflect.get(label, locale) : undefined;
    return typeof value === 'string' && value.trim() !== '' ? value : status;
  };
  return { de: text('de'), en: text('en') };
}
