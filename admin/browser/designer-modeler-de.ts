/**
 * German for the modeler's own words (palette, context pad, properties panel), through diagram-js's `translate`
 * service, for a page in German. Only what a designer meets in the subset Lotse runs; anything else stays English.
 */
const GERMAN: Readonly<Record<string, string>> = {
  // Palette and context pad
  'Activate hand tool': 'Hand-Werkzeug: Ansicht verschieben',
  'Activate lasso tool': 'Lasso: mehrere Elemente auswählen',
  'Activate create/remove space tool': 'Platz schaffen oder entfernen',
  'Activate global connect tool': 'Elemente verbinden',
  'Create start event': 'Startereignis anlegen',
  'Create intermediate/boundary event': 'Zwischenereignis anlegen',
  'Create end event': 'Endereignis anlegen',
  'Create gateway': 'Verzweigung anlegen',
  'Create task': 'Schritt anlegen',
  'Create expanded sub-process': 'Teilprozess anlegen',
  'Append end event': 'Endereignis anhängen',
  'Append gateway': 'Verzweigung anhängen',
  'Append task': 'Schritt anhängen',
  'Append intermediate/boundary event': 'Zwischenereignis anhängen',
  'Append text annotation': 'Anmerkung anhängen',
  'Add text annotation': 'Anmerkung hinzufügen',
  'Change element': 'Art ändern',
  'Change type': 'Art ändern',
  Delete: 'Löschen',
  'Connect to other element': 'Mit anderem Element verbinden',
  'Connect using sequence/message flow or association': 'Verbinden',
  'Search in diagram': 'Im Diagramm suchen',
  // Properties panel: groups
  General: 'Allgemein',
  Documentation: 'Dokumentation',
  Assignment: 'Zuständigkeit',
  Form: 'Formular',
  Inputs: 'Eingaben',
  'Input mapping': 'Eingabe-Zuordnung',
  'Output mapping': 'Ausgabe-Zuordnung',
  Implementation: 'Umsetzung',
  Priority: 'Priorität',
  Outputs: 'Ausgaben',
  Headers: 'Einstellungen (Header)',
  'Task definition': 'Automatischer Schritt',
  'Task schedule': 'Fristen',
  'Extension properties': 'Erweiterungseigenschaften',
  'Execution listeners': 'Ausführungs-Listener',
  'Task listeners': 'Aufgaben-Listener',
  'Job priority': 'Priorität des Jobs',
  Template: 'Vorlage',
  Timer: 'Zeitgeber',
  Condition: 'Bedingung',
  Message: 'Nachricht',
  'Multi-instance': 'Mehrfachausführung',
  // Properties panel: fields
  Name: 'Name',
  ID: 'Kennung (ID)',
  Value: 'Wert',
  Type: 'Art',
  Key: 'Schlüssel',
  Retries: 'Wiederholungen',
  Assignee: 'Bearbeiterin oder Bearbeiter',
  'Candidate groups': 'Kandidatengruppen',
  'Candidate users': 'Kandidaten',
  'Due date': 'Fällig am',
  'Follow up date': 'Wiedervorlage am',
  'Form ID': 'Formular-ID',
  'Condition expression': 'Bedingung (FEEL)',
  'Result variable': 'Ergebnisvariable',
  'Variable name': 'Variablenname',
  'Variable assignment value': 'Wert (FEEL)',
  'Local variable name': 'Lokaler Variablenname',
  'Process ID': 'Prozess-ID',
  Select: 'Auswählen',
  Change: 'Ändern',
  Unlink: 'Lösen',
  Remove: 'Entfernen',
  'Create new ...': 'Neu anlegen …',
  '<none>': '<keine>',
  '<empty>': '<leer>',
};

/** diagram-js's translate: the German text if there is one, the `{placeholders}` filled in. */
export function germanTranslate(template: string, replacements: Record<string, string> = {}): string {
  const text = GERMAN[template] ?? template;
  return text.replace(/\{([^}]+)\}/g, (whole, key: string) => replacements[key] ?? whole);
}

export const GermanTranslateModule = { translate: ['value', germanTranslate] };
