import { Router, type Request, type Response } from 'express';
import type { StaffAdminService } from '../engine/services/staff-admin.service.js';
import { MIN_PASSWORD_LENGTH, isAway, type FieldProblem } from '../engine/services/staff-rules.js';
import { agencyToday } from '../engine/services/today.js';
import { translate } from '../engine/web/i18n.js';
import { NotFoundError, formInput, localeOf, pageOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { calendarDate, problemsByField } from './staff-admin.routes.js';
import { staffMember } from './staff-guard.js';

export interface ProfileRouteDeps {
  staffAdmin: StaffAdminService;
  views: ViewRenderer;
}

const NOTICES = new Set(['password', 'away', 'awayCleared']);

/**
 * A staff member's own account: `/staff/profile` (name, groups, roles, own password, out of office) and the
 * set-password page a mailed link opens (`/staff/password?token=…`, no login needed: the link is the proof).
 */
export function createProfileRouter({ staffAdmin, views }: ProfileRouteDeps): Router {
  const router = Router();
  const t = (req: Request) => (key: string) => translate(localeOf(req), key);

  async function profilePage(
    req: Request,
    res: Response,
    state: {
      passwordProblems?: FieldProblem[];
      awayProblems?: FieldProblem[];
      away?: Record<string, unknown>;
      status?: number;
    } = {},
  ) {
    const member = staffMember(req, res);
    if (!member) return;
    const found = await staffAdmin.profile(member);
    if (!found) throw new NotFoundError();
    const { account, colleagues } = found;
    const groupNames = new Map((await staffAdmin.listGroups()).map((group) => [group.id, group.name]));
    const away = {
      awayFrom: typeof state.away?.awayFrom === 'string' ? state.away.awayFrom : (account.awayFrom ?? ''),
      awayUntil: typeof state.away?.awayUntil === 'string' ? state.away.awayUntil : (account.awayUntil ?? ''),
      substituteId:
        typeof state.away?.substituteId === 'string' ? state.away.substituteId : (account.substituteId ?? ''),
    };
    const done = req.query.done;
    res.status(state.status ?? 200).send(
      views.render('admin/profile', pageOf(req, t(req)('profile.title')), {
        notice: typeof done === 'string' && NOTICES.has(done) ? t(req)(`profile.done.${done}`) : undefined,
        account,
        groupNames: account.groups.map((id) => groupNames.get(id) ?? id),
        roleNames: account.roles.map((role) => t(req)(`role.${role}`)),
        awaySet: account.awayFrom !== null && account.awayUntil !== null,
        awayNow: isAway(account, agencyToday()),
        awayText: `${calendarDate(account.awayFrom, localeOf(req))} – ${calendarDate(account.awayUntil, localeOf(req))}`,
        substituteName: colleagues.find((colleague) => colleague.id === account.substituteId)?.name,
        away,
        colleagues: colleagues.map((colleague) => ({ ...colleague, selected: colleague.id === away.substituteId })),
        minPasswordLength: MIN_PASSWORD_LENGTH,
        passwordErrors: problemsByField(state.passwordProblems ?? [], t(req)),
        passwordHasErrors: (state.passwordProblems ?? []).length > 0,
        awayErrors: problemsByField(state.awayProblems ?? [], t(req)),
        awayHasErrors: (state.awayProblems ?? []).length > 0,
      }),
    );
  }

  router.get('/profile', (req, res) => profilePage(req, res));

  router.post('/profile/password', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const outcome = await staffAdmin.changeOwnPassword(member, formInput(req), req.sessionID);
    if (!outcome.ok) {
      if ('notFound' in outcome) throw new NotFoundError();
      await profilePage(req, res, { passwordProblems: outcome.problems, status: 422 });
      return;
    }
    res.redirect(303, '/staff/profile?done=password');
  });

  router.post('/profile/away', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const form = formInput(req);
    const outcome = await staffAdmin.setAway(member, form);
    if (!outcome.ok) {
      if ('notFound' in outcome) throw new NotFoundError();
      await profilePage(req, res, { awayProblems: outcome.problems, away: form, status: 422 });
      return;
    }
    res.redirect(303, '/staff/profile?done=away');
  });

  router.post('/profile/away/clear', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    await staffAdmin.clearAway(member);
    res.redirect(303, '/staff/profile?done=awayCleared');
  });

  // The token travels in the query string and a hidden field, never in the path: request paths are logged on errors.
  const passwordPage = (
    req: Request,
    res: Response,
    state: { token: string; person?: { name: string; email: string }; problems?: FieldProblem[]; done?: boolean },
    status = 200,
  ) =>
    res.status(status).send(
      views.render('admin/password-set', pageOf(req, t(req)('password.setTitle')), {
        ...state,
        invalid: !state.person && !state.done,
        minPasswordLength: MIN_PASSWORD_LENGTH,
        errors: problemsByField(state.problems ?? [], t(req)),
        hasErrors: (state.problems ?? []).length > 0,
      }),
    );

  router.get('/password', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const person = await staffAdmin.passwordLink(token);
    passwordPage(req, res, { token, person }, person ? 200 : 404);
  });

  router.post('/password', async (req, res) => {
    const form = formInput(req);
    const token = typeof form.token === 'string' ? form.token : '';
    const outcome = await staffAdmin.setPasswordWithLink(token, form);
    if (!outcome.ok) {
      if ('notFound' in outcome) return passwordPage(req, res, { token: '' }, 404);
      const person = await staffAdmin.passwordLink(token);
      return passwordPage(req, res, { token, person, problems: outcome.problems }, 422);
    }
    passwordPage(req, res, { token: '', done: true });
  });

  return router;
}
