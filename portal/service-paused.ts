import type { Request, Response } from 'express';
import { localeOf, pageOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { textFor } from './applicant.js';

type Localized = { de: string; en: string };

/**
 * A paused service's start page (the service designer paused it): its message instead of the form. No new case
 * starts; running cases go on, and a draft stays saved (`draftId`) to be sent once the service is resumed.
 */
export function pausedPage(
  req: Request,
  res: Response,
  views: ViewRenderer,
  service: { title: Localized; paused?: Localized },
  status: number,
  draftId?: string,
): void {
  const locale = localeOf(req);
  const title = `${textFor(req)('designer.core.paused.title')} – ${service.title[locale]}`;
  res.status(status).send(
    views.render('portal/service-paused', pageOf(req, title), {
      service,
      message: service.paused?.[locale],
      draftId,
    }),
  );
}
