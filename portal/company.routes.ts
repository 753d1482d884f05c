import { Router, type Request, type Response } from 'express';
import type { FieldProblem } from '../engine/services/staff-rules.js';
import {
  PROFILE_FIELDS,
  WZ_SECTIONS,
  profileFormOf,
  profileInputOf,
  type CompanyProfileService,
  type ProfileForm,
} from '../engine/services/company-profile.service.js';
import type { ColleaguesService, Outcome } from '../engine/services/colleagues.service.js';
import type { CompanyUserSession } from '../engine/services/auth.service.js';
import { NotFoundError, establishSession, formInput, isUuid, localeOf, pageOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireApplicant, textFor } from './applicant.js';

export interface CompanyDeps {
  companyProfiles: CompanyProfileService;
  colleagues: ColleaguesService;
  views: ViewRenderer;
}

const problemsByField = (problems: FieldProblem[], t: (key: string) => string) =>
  Object.fromEntries(problems.map((problem) => [problem.field, t(problem.messageKey)]));

/** The company profile (`/account/company`), the colleagues (`/account/colleagues`) and accepting an invite. */
export function createCompanyRouter({ companyProfiles, colleagues, views }: CompanyDeps): Router {
  const router = Router();

  async function profilePage(
    req: Request,
    res: Response,
    user: CompanyUserSession,
    state: { values?: ProfileForm; problems?: FieldProblem[]; status?: number; saved?: boolean } = {},
  ) {
    const found = await companyProfiles.profileOf(user);
    if (!found) throw new NotFoundError();
    const t = textFor(req);
    const values = state.values ?? profileFormOf(found.profile);
    const problems = state.problems ?? [];
    res.status(state.status ?? 200).send(
      views.render('portal/company', pageOf(req, t('colleagues.profile.title')), {
        values,
        mayEdit: found.mayEdit,
        saved: state.saved,
        errors: problemsByField(problems, t),
        // In the page's field order, for the summary's links.
        summary: PROFILE_FIELDS.filter((field) => problems.some((p) => p.field === field)).map((field) => ({
          field,
          message: t(problems.find((p) => p.field === field)?.messageKey ?? ''),
        })),
        sectors: WZ_SECTIONS.map((code) => ({
          code,
          label: `${code} – ${t(`colleagues.sector.${code}`)}`,
          selected: values.sector === code,
        })),
        sectorLabel: values.sector ? `${values.sector} – ${t(`colleagues.sector.${values.sector}`)}` : '',
      }),
    );
  }

  router.get('/account/company', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    await profilePage(req, res, user, { saved: req.query.saved === '1' });
  });

  router.post('/account/company', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const form = formInput(req);
    const outcome = await companyProfiles.save(user, form);
    if (outcome.ok) {
      // The header and the export read the company's name from the session.
      const saved = profileInputOf(form).name;
      if (req.session.principal?.kind === 'applicant') req.session.principal.companyName = saved;
      res.redirect(303, '/account/company?saved=1');
    } else if ('forbidden' in outcome) {
      await profilePage(req, res, user, { status: 403 });
    } else {
      await profilePage(req, res, user, { values: profileInputOf(form), problems: outcome.problems, status: 422 });
    }
  });

  async function colleaguesPage(
    req: Request,
    res: Response,
    user: CompanyUserSession,
    state: {
      values?: { email: string; role: string };
      problems?: FieldProblem[];
      status?: number;
      notice?: string;
    } = {},
  ) {
    const found = await colleagues.colleaguesOf(user);
    if (!found) throw new NotFoundError();
    const t = textFor(req);
    res.status(state.status ?? 200).send(
      views.render('portal/colleagues', pageOf(req, t('colleagues.title')), {
        ...found,
        members: found.members.map((member) => ({
          ...member,
          roleLabel: t(`colleagues.role.${member.role}`),
          otherRole: member.role === 'owner' ? 'member' : 'owner',
          otherRoleAction: t(member.role === 'owner' ? 'colleagues.makeMember' : 'colleagues.makeOwner'),
        })),
        invites: found.invites.map((invite) => ({ ...invite, roleLabel: t(`colleagues.role.${invite.role}`) })),
        values: state.values ?? { email: '', role: 'member' },
        errors: problemsByField(state.problems ?? [], t),
        notice: state.notice,
      }),
    );
  }

  const notices: Record<string, string> = {
    invited: 'colleagues.notice.invited',
    role: 'colleagues.notice.roleChanged',
    removed: 'colleagues.notice.removed',
    withdrawn: 'colleagues.notice.withdrawn',
  };

  router.get('/account/colleagues', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const notice = typeof req.query.done === 'string' ? notices[req.query.done] : undefined;
    await colleaguesPage(req, res, user, { notice: notice && textFor(req)(notice) });
  });

  /** The answer to an owner's action: back to the list, or the list with the problem (404 for a foreign id). */
  async function answer(req: Request, res: Response, user: CompanyUserSession, outcome: Outcome, done: string) {
    if (outcome.ok) return res.redirect(303, `/account/colleagues?done=${done}`);
    if ('notFound' in outcome) throw new NotFoundError();
    if ('forbidden' in outcome) return colleaguesPage(req, res, user, { status: 403 });
    const form = formInput(req);
    const values = {
      email: typeof form.email === 'string' ? form.email : '',
      role: form.role === 'owner' ? 'owner' : 'member',
    };
    return colleaguesPage(req, res, user, { values, problems: outcome.problems, status: 422 });
  }

  router.post('/account/colleagues/invite', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const outcome = await colleagues.invite(
      user,
      formInput(req),
      localeOf(req),
      `${req.protocol}://${req.get('host')}`,
    );
    await answer(req, res, user, outcome, 'invited');
  });

  router.post('/account/colleagues/invites/:inviteId/withdraw', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    if (!isUuid(req.params.inviteId)) throw new NotFoundError();
    await answer(req, res, user, await colleagues.withdrawInvite(user, req.params.inviteId), 'withdrawn');
  });

  router.post('/account/colleagues/:userId/role', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    if (!isUuid(req.params.userId)) throw new NotFoundError();
    await answer(req, res, user, await colleagues.setRole(user, req.params.userId, formInput(req)), 'role');
  });

  router.post('/account/colleagues/:userId/remove', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    if (!isUuid(req.params.userId)) throw new NotFoundError();
    const outcome = await colleagues.remove(user, req.params.userId);
    // Leaving the company oneself: this session ended with the others.
    if (outcome.ok && req.params.userId === user.userId) return res.redirect(303, '/services');
    await answer(req, res, user, outcome, 'removed');
  });

  async function invitePage(
    req: Request,
    res: Response,
    token: unknown,
    state: { values?: { name: string }; problems?: FieldProblem[]; status?: number } = {},
  ) {
    const invite = await colleagues.inviteOf(token);
    const t = textFor(req);
    if (!invite) {
      res
        .status(404)
        .send(views.render('portal/colleague-invite', pageOf(req, t('colleagues.accept.title')), { invalid: true }));
      return;
    }
    res.status(state.status ?? 200).send(
      views.render('portal/colleague-invite', pageOf(req, t('colleagues.accept.title')), {
        invite,
        token,
        values: state.values ?? { name: '' },
        errors: problemsByField(state.problems ?? [], t),
        hasErrors: (state.problems ?? []).length > 0,
      }),
    );
  }

  router.get('/invite', async (req, res) => {
    // The link's secret must not leak to other sites through the Referer header ('no-referrer' would make
    // the browser send `Origin: null` with the form, which the same-origin check refuses).
    res.set('Referrer-Policy', 'same-origin');
    await invitePage(req, res, req.query.token);
  });

  router.post('/invite', async (req, res) => {
    res.set('Referrer-Policy', 'same-origin');
    const form = formInput(req);
    // The page's language becomes the language of the member's mails (ADR 0030).
    const outcome = await colleagues.accept(form.token, { ...form, language: localeOf(req) });
    if (outcome.ok) {
      await establishSession(req, { kind: 'applicant', ...outcome.value });
      return res.redirect(303, '/cases');
    }
    if ('problems' in outcome) {
      const name = typeof form.name === 'string' ? form.name : '';
      return invitePage(req, res, form.token, { values: { name }, problems: outcome.problems, status: 422 });
    }
    return invitePage(req, res, undefined);
  });

  return router;
}
