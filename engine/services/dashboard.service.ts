import { actorOf, audienceOf } from '../case/task-completion.js';
import type {
  DashboardRepository,
  DashboardViewer,
  RueckfrageRate,
  ServiceTimes,
  WorkloadRow,
} from '../repositories/dashboard.repository.js';
import { hasRole, type StaffSession } from './auth.service.js';

/** How many ISO weeks the "cases per week" figure shows. */
export const DASHBOARD_WEEKS = 12;

/** The staff dashboard's figures, each over the cases the member may see. */
export interface Dashboard {
  openCases: Awaited<ReturnType<DashboardRepository['openCasesPerService']>>;
  overdueTasks: Awaited<ReturnType<DashboardRepository['overdueTasksPerGroup']>>;
  times: ServiceTimes[];
  rueckfrage: (RueckfrageRate & { rate: number | null })[];
  casesPerWeek: Awaited<ReturnType<DashboardRepository['casesPerWeek']>>;
  /** Open tasks per person of the viewer's groups: team leads' and administrators' only. */
  workload?: WorkloadRow[];
}

export interface DashboardService {
  /**
   * The figures the member may see: an administrator's over every case; anyone else's over the cases with a
   * task they may complete (the rule of `mayComplete`), overdue tasks of their own groups; team leads
   * also the workload per person of their groups.
   */
  forStaff(member: StaffSession, now?: Date): Promise<Dashboard>;
}

export interface DashboardServiceDeps {
  dashboard: DashboardRepository;
}

export function createDashboardService(deps: DashboardServiceDeps): DashboardService {
  const { dashboard } = deps;
  return {
    async forStaff(member, now = new Date()) {
      const viewer: DashboardViewer = {
        seesAll: hasRole(member, 'administrator'),
        audience: audienceOf(actorOf(member)),
      };
      const [openCases, overdueTasks, times, rueckfrage, casesPerWeek, workload] = await Promise.all([
        dashboard.openCasesPerService(viewer),
        dashboard.overdueTasksPerGroup(viewer, now),
        dashboard.timesPerService(viewer, now),
        dashboard.rueckfrageRatePerService(viewer, now),
        dashboard.casesPerWeek(viewer, now, DASHBOARD_WEEKS),
        hasRole(member, 'team_lead') || hasRole(member, 'administrator')
          ? dashboard.workloadPerPerson(viewer)
          : undefined,
      ]);
      return {
        openCases,
        overdueTasks,
        times,
        rueckfrage: rueckfrage.map((row) => ({ ...row, rate: row.cases > 0 ? row.withRueckfrage / row.cases : null })),
        casesPerWeek,
        workload,
      };
    },
  };
}
