import { diagramStateOf, type DiagramState } from '../case/diagram-state.js';

export type { ElementState } from '../case/diagram-state.js';
import type { TaskRow } from '../repositories/case.repository.js';
import type { StaffSession } from './auth.service.js';
import type { CaseService, StaffCaseView } from './case.service.js';
import type { CatalogService } from './catalog.service.js';
import type { IncidentService } from './incident.service.js';

/** The process diagram of a case: the BPMN of the version it runs on, and where the case stands on it. */
export interface CaseDiagram {
  bpmnXml: string;
  state: DiagramState<TaskRow>;
}

export interface CaseDiagramService {
  /** The diagram for staff who may see the case (caseService.detailForStaff decides); undefined (→ 404) otherwise. */
  forStaff(caseId: string, member: StaffSession): Promise<CaseDiagram | undefined>;
  /**
   * The diagram of a case page already loaded with detailForStaff (whose check has passed), without reading the
   * case again; undefined only when its version is gone.
   */
  ofStaffView(view: StaffCaseView): Promise<CaseDiagram | undefined>;
}

export interface CaseDiagramServiceDeps {
  cases: Pick<CaseService, 'detailForStaff'>;
  catalog: Pick<CatalogService, 'version'>;
  incidents: Pick<IncidentService, 'ofCase'>;
}

export function createCaseDiagramService(deps: CaseDiagramServiceDeps): CaseDiagramService {
  const { cases, catalog, incidents } = deps;

  async function ofStaffView({ detail, events, tasks }: StaffCaseView): Promise<CaseDiagram | undefined> {
    const [version, caseIncidents] = await Promise.all([
      catalog.version(detail.serviceVersionId),
      incidents.ofCase(detail.id),
    ]);
    if (!version) return undefined;
    return {
      // The version's BPMN, never the latest: the case runs on the model it started on.
      bpmnXml: version.bpmnXml,
      state: diagramStateOf({
        model: version.model,
        trail: events,
        activeElementIds: detail.activeElementIds,
        openIncidents: caseIncidents.filter((incident) => incident.resolvedAt === null),
        tasks,
      }),
    };
  }

  return {
    ofStaffView,
    async forStaff(caseId, member) {
      const view = await cases.detailForStaff(caseId, member);
      return view && ofStaffView(view);
    },
  };
}
