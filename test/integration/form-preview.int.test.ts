import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;
let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const PREVIEW = '/staff/services/general-inquiry/forms/general-inquiry-start/preview';

describe('form preview for designers', () => {
  it('renders a form with sample data and shows what the validator says', async () => {
    const admin = new WebClient(system.url);
    await admin.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    expect((await admin.get('/staff/services')).html).toContain(PREVIEW);

    await admin.get(PREVIEW);
    const invalid = await admin.submit(PREVIEW, { sample: JSON.stringify({ subject: 'ab', contactChannel: 'fax' }) });
    expect(invalid.status).toBe(200);
    expect(invalid.html).toContain('<code>subject</code>');
    expect(invalid.html).toContain('<code>message</code>');
    expect(invalid.html).toContain('<code>contactChannel</code>');

    const valid = await admin.submit(PREVIEW, {
      sample: JSON.stringify({
        subject: 'Frage',
        message: 'Eine ausreichend lange Nachricht.',
        contactChannel: 'email',
      }),
    });
    expect(valid.html).toContain('Die Daten sind gültig.');

    const broken = await admin.submit(PREVIEW, { sample: '{ nicht json' });
    expect(broken.status).toBe(422);
    expect(broken.html).toContain('kein gültiges JSON-Objekt');
    expect(broken.html).toContain('{ nicht json');
  });

  it('serves the form library styles the layout links', async () => {
    const response = await fetch(`${system.url}/static/forms.css`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/css');
    expect(await response.text()).toContain('.form-row');
  });

  it('is for administrators only, and unknown forms are 404', async () => {
    const caseworker = new WebClient(system.url);
    await caseworker.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
    expect((await caseworker.get(PREVIEW)).status).toBe(404);
    const admin = new WebClient(system.url);
    await admin.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    expect((await admin.get('/staff/services/general-inquiry/forms/toString/preview')).status).toBe(404);
  });
});
