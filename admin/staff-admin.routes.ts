import { Router, type Request, type Response } from 'express';
import type { StaffSession } from '../engine/services/auth.service.js';
import type { Outcome, StaffAccount, StaffAdminService } from '../engine/services/staff-admin.service.js';
import { STAFF_ROLE_ORDER, isAway, isGroupId, type FieldProblem } from '../engine/services/staff-rules.js';
import { agencyToday } from '../engine/services/today.js';
import { translate, type Locale } from '../engine/web/i18n.js';
import { NotFoundError, formInput, isUuid, localeOf, pageOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireRole } from './staff-guard.js';

export interface StaffAdminRouteDeps {
  staffAdmin: StaffAdminService;
  views: ViewRenderer;
}

/** Notices a page shows after a redirect (`?done=…`); anything else in the query is ignored. */
const NOTICES = new Set([
  'created',
  'saved',
  'disabled',
  'enabled',
  'reset',
  'groupCreated',
  'groupRenamed',
  'membersSaved',
]);

const administrator = requireRole('administrator');

/** Field → translated message, for showing each problem next to its field. */
export function problemsByField(problems: FieldProblem[], t: (key: string) => string) {
  return Object.fromEntries(problems.map((problem) => [problem.field, t(problem.messageKey)]));
}

/** After a session's roles or groups changed in the database, the session follows (the admin editing themselves). */
export function refreshOwnSession(req: Request, account: StaffAccount) {
  const principal = req.session.principal;
  if (principal?.kind !== 'staff' || principal.staffId !== account.id) return;
  req.session.principal = {
    ...principal,
    name: account.name,
    email: account.email,
    roles: account.roles,
    groups: account.groups,
  };
}

/** A calendar date (YYYY-MM-DD) as people read it: 05.01.2027 / 5 Jan 2027. */
export function calendarDate(iso: string | null, locale: Locale): string {
  if (!iso) return '';
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium', timeZone: 'UTC' });
  return format.format(new Date(`${iso}T00:00:00Z`));
}

/** The origin a mailed link points to: the one the administrator is using. */
const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/**
 * `/staff/admin/…`: staff accounts and groups, administrators only (404 for everyone else, ADR 0003).
 * Every id in a path is checked before any query; an unknown one is 404.
 */
export function createStaffAdminRouter({ staffAdmin, views }: StaffAdminRouteDeps): Router {
  const router = Router();
  const t = (req: Request) => (key: string) => translate(localeOf(req), key);
  const notice = (req: Request) => {
    const done = req.query.done;
    return typeof done === 'string' && NOTICES.has(done) ? t(req)(`staffAdmin.done.${done}`) : undefined;
  };

  const roleChoices = (req: Request, chosen: readonly string[]) =>
    STAFF_ROLE_ORDER.map((role) => ({ role, label: t(req)(`role.${role}`), checked: chosen.includes(role) }));
  const groupChoices = async (chosen: readonly string[]) =>
    (await staffAdmin.listGroups()).map((group) => ({ ...group, checked: chosen.includes(group.id) }));

  /** The account form (new or edit): values as typed, problems next to their fields. */
  async function accountForm(
    req: Request,
    res: Response,
    state: {
      account?: StaffAccount;
      values: { name: string; email: string; roles: readonly string[]; groups: readonly string[] };
      problems: FieldProblem[];
      status?: number;
    },
  ) {
    const title = state.account ? state.account.name : t(req)('staffAdmin.newTitle');
    const member = req.session.principal;
    res.status(state.status ?? 200).send(
      views.render('admin/staff-account', pageOf(req, title), {
        account: state.account,
        self: member?.kind === 'staff' && member.staffId === state.account?.id,
        awayText: state.account?.awayFrom
          ? `${calendarDate(state.account.awayFrom, localeOf(req))} – ${calendarDate(state.account.awayUntil, localeOf(req))}`
          : undefined,
        values: state.values,
        roles: roleChoices(req, state.values.roles),
        groups: await groupChoices(state.values.groups),
        errors: problemsByField(state.problems, t(req)),
        hasErrors: state.problems.length > 0,
        notice: notice(req),
        action: state.account ? `/staff/admin/staff/${state.account.id}` : '/staff/admin/staff',
      }),
    );
  }

  const formValues = (form: Record<string, unknown>) => ({
    name: typeof form.name === 'string' ? form.name : '',
    email: typeof form.email === 'string' ? form.email : '',
    roles: [form.roles ?? []].flat().filter((value): value is string => typeof value === 'string'),
    groups: [form.groups ?? []].flat().filter((value): value is string => typeof value === 'string'),
  });

  const accountOf = async (id: string) => {
    const account = isUuid(id) ? await staffAdmin.findStaff(id) : undefined;
    if (!account) throw new NotFoundError();
    return account;
  };

  router.get('/admin', async (req, res) => {
    if (!administrator(req, res)) return;
    const today = agencyToday();
    const accounts = await staffAdmin.listStaff();
    const names = new Map(accounts.map((account) => [account.id, account.name]));
    const groupNames = new Map((await staffAdmin.listGroups()).map((group) => [group.id, group.name]));
    res.send(
      views.render('admin/staff-list', pageOf(req, t(req)('staffAdmin.title')), {
        notice: notice(req),
        accounts: accounts.map((account) => ({
          ...account,
          groupNames: account.groups.map((id) => groupNames.get(id) ?? id).join(', '),
          roleNames: account.roles.map((role) => t(req)(`role.${role}`)).join(', '),
          awayNow: isAway(account, today),
          awayFromText: calendarDate(account.awayFrom, localeOf(req)),
          awayUntilText: calendarDate(account.awayUntil, localeOf(req)),
          substituteName: account.substituteId ? names.get(account.substituteId) : undefined,
        })),
      }),
    );
  });

  router.get('/admin/staff/new', async (req, res) => {
    if (!administrator(req, res)) return;
    await accountForm(req, res, { values: { name: '', email: '', roles: ['caseworker'], groups: [] }, problems: [] });
  });

  router.post('/admin/staff', async (req, res) => {
    const admin = administrator(req, res);
    if (!admin) return;
    const form = formInput(req);
    const outcome = await staffAdmin.createAccount(admin, form, originOf(req));
    if (!outcome.ok) {
      if ('notFound' in outcome) throw new NotFoundError();
      await accountForm(req, res, { values: formValues(form), problems: outcome.problems, status: 422 });
      return;
    }
    res.redirect(303, `/staff/admin/staff/${outcome.value}?done=created`);
  });

  router.get('/admin/staff/:id', async (req, res) => {
    if (!administrator(req, res)) return;
    const account = await accountOf(req.params.id);
    await accountForm(req, res, { account, values: account, problems: [] });
  });

  router.post('/admin/staff/:id', async (req, res) => {
    const admin = administrator(req, res);
    if (!admin) return;
    const account = await accountOf(req.params.id);
    const form = formInput(req);
    const outcome = await staffAdmin.updateAccount(admin, account.id, form);
    if (!outcome.ok) {
      if ('notFound' in outcome) throw new NotFoundError();
      await accountForm(req, res, { account, values: formValues(form), problems: outcome.problems, status: 422 });
      return;
    }
    refreshOwnSession(req, outcome.value);
    res.redirect(303, `/staff/admin/staff/${account.id}?done=saved`);
  });

  /** An action button on the account page: disable, enable, reset password. */
  const accountAction = (
    path: string,
    act: (admin: StaffSession, staffId: string, req: Request) => Promise<Outcome>,
    done: string,
  ) =>
    router.post(`/admin/staff/:id/${path}`, async (req, res) => {
      const admin = administrator(req, res);
      if (!admin) return;
      const account = await accountOf(req.params.id);
      const outcome = await act(admin, account.id, req);
      if (!outcome.ok) {
        if ('notFound' in outcome) throw new NotFoundError();
        await accountForm(req, res, { account, values: account, problems: outcome.problems, status: 422 });
        return;
      }
      res.redirect(303, `/staff/admin/staff/${account.id}?done=${done}`);
    });
  accountAction('disable', (admin, id) => staffAdmin.setDisabled(admin, id, true), 'disabled');
  accountAction('enable', (admin, id) => staffAdmin.setDisabled(admin, id, false), 'enabled');
  accountAction('reset-password', (admin, id, req) => staffAdmin.resetPassword(admin, id, originOf(req)), 'reset');

  const groupsPage = async (
    req: Request,
    res: Response,
    state: { values: { id: string; name: string }; problems: FieldProblem[]; status?: number },
  ) => {
    res.status(state.status ?? 200).send(
      views.render('admin/staff-groups', pageOf(req, t(req)('staffAdmin.groupsTitle')), {
        notice: notice(req),
        groups: await staffAdmin.listGroups(),
        values: state.values,
        errors: problemsByField(state.problems, t(req)),
        hasErrors: state.problems.length > 0,
      }),
    );
  };

  router.get('/admin/groups', async (req, res) => {
    if (!administrator(req, res)) return;
    await groupsPage(req, res, { values: { id: '', name: '' }, problems: [] });
  });

  router.post('/admin/groups', async (req, res) => {
    if (!administrator(req, res)) return;
    const form = formInput(req);
    const outcome = await staffAdmin.createGroup(form);
    if (!outcome.ok) {
      if ('notFound' in outcome) throw new NotFoundError();
      const values = {
        id: typeof form.id === 'string' ? form.id : '',
        name: typeof form.name === 'string' ? form.name : '',
      };
      await groupsPage(req, res, { values, problems: outcome.problems, status: 422 });
      return;
    }
    res.redirect(303, `/staff/admin/groups/${outcome.value}?done=groupCreated`);
  });

  const groupOf = async (id: string) => {
    const group = isGroupId(id) ? await staffAdmin.group(id) : undefined;
    if (!group) throw new NotFoundError();
    return group;
  };

  const groupPage = async (
    req: Request,
    res: Response,
    groupId: string,
    state: { name?: string; problems: FieldProblem[]; status?: number } = { problems: [] },
  ) => {
    const group = await groupOf(groupId);
    res.status(state.status ?? 200).send(
      views.render('admin/staff-group', pageOf(req, group.name), {
        notice: notice(req),
        group,
        name: state.name ?? group.name,
        errors: problemsByField(state.problems, t(req)),
        hasErrors: state.problems.length > 0,
      }),
    );
  };

  router.get('/admin/groups/:id', async (req, res) => {
    if (!administrator(req, res)) return;
    await groupPage(req, res, req.params.id);
  });

  router.post('/admin/groups/:id', async (req, res) => {
    if (!administrator(req, res)) return;
    const group = await groupOf(req.params.id);
    const form = formInput(req);
    const outcome = await staffAdmin.renameGroup(group.id, form);
    if (!outcome.ok) {
      if ('notFound' in outcome) throw new NotFoundError();
      const name = typeof form.name === 'string' ? form.name : '';
      await groupPage(req, res, group.id, { name, problems: outcome.problems, status: 422 });
      return;
    }
    res.redirect(303, `/staff/admin/groups/${group.id}?done=groupRenamed`);
  });

  router.post('/admin/groups/:id/members', async (req, res) => {
    const admin = administrator(req, res);
    if (!admin) return;
    const group = await groupOf(req.params.id);
    const outcome = await staffAdmin.setGroupMembers(admin, group.id, formInput(req));
    if (!outcome.ok) {
      if ('notFound' in outcome) throw new NotFoundError();
      await groupPage(req, res, group.id, { problems: outcome.problems, status: 422 });
      return;
    }
    refreshOwnSession(req, outcome.value);
    res.redirect(303, `/staff/admin/groups/${group.id}?done=membersSaved`);
  });

  return router;
}
