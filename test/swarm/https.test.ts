import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@shopstack/testing';
import { expectRedirectToHttps, expectSecureLogin, http2Get, tlsHandshake } from '../tls-client.js';
import { script } from './scripts.js';
import { ADMIN } from './swarm-env.js';
import { api, containers, docker, rawRequest, serviceInspect, swarm, waitUntil } from './swarm.js';

const hsts = 'max-age=63072000';

/** The ports nginx's service publishes, as `published:target/mode`. */
const publishedPorts = async () =>
  ((JSON.parse(await serviceInspect('nginx', '{{json .Endpoint.Spec.Ports}}')) ?? []) as Array<{ PublishedPort: number; TargetPort: number; PublishMode: string }>)
    .map((port) => `${port.PublishedPort}:${port.TargetPort}/${port.PublishMode}`)
    .sort();

// deploy.sh again on the shared stack, with HTTPS_PORT (stack.https.yml added), then without:
// an update in place each time, as a student would turn HTTPS on and off.
describe('HTTPS on the swarm, with HTTPS_PORT set', () => {
  let httpsPort: number;
  let ca: string;
  let output: string;

  beforeAll(async () => {
    httpsPort = await freePort();
    output = await script('deploy.sh', { ...swarm().env, HTTPS_PORT: String(httpsPort), PUBLIC_HOST: 'shop.test', SKIP_BUILD: '1' });
    // The certificate deploy.sh made, as nginx reads it: its secret, under /run/secrets.
    await waitUntil('nginx to hold the certificate', async () => {
      const [id] = await containers('nginx');
      ca = id ? await docker('exec', id, 'cat', '/run/secrets/tls_cert').catch(() => '') : '';
      return ca.includes('BEGIN CERTIFICATE');
    }, 60_000, 500);
  }, 600_000);

  afterAll(async () => {
    // Back as found: deploy.sh without HTTPS_PORT drops the port, the secrets and the Secure cookie.
    await script('deploy.sh', { ...swarm().env, SKIP_BUILD: '1' });
    expect(await publishedPorts()).toEqual([`${swarm().port}:80/host`]);
    await waitUntil('plain HTTP to answer again', async () => (await api('/api/products?limit=1').catch(() => undefined))?.status === 200, 60_000, 500);
    expect(await tlsHandshake(httpsPort, ca)).toMatch(/ECONNREFUSED/);
  }, 600_000);

  it('publishes HTTPS_PORT in host mode beside HTTP, with a self-signed certificate for nginx alone, as two secrets', async () => {
    expect(await publishedPorts()).toEqual([`${httpsPort}:${httpsPort}/host`, `${swarm().port}:80/host`].sort());
    const prefix = swarm().env['SECRETS_PREFIX'];
    expect(output).toContain(`created secrets ${prefix}_tls_cert and ${prefix}_tls_key: a self-signed certificate for localhost, 127.0.0.1 and shop.test`);
    expect(new X509Certificate(ca).subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, DNS:shop.test');
    const [id] = await containers('nginx');
    expect((await docker('exec', id!, 'ls', '/run/secrets')).split('\n').filter(Boolean)).toEqual(['tls_cert', 'tls_key']);
    expect(await serviceInspect('users', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')).toContain('"COOKIE_SECURE=true"');
  });

  it("speaks TLS 1.3 with that certificate, TLS 1.2 with Mozilla's intermediate ciphers, nothing older, and HTTP/2 with HSTS", async () => {
    expect(await tlsHandshake(httpsPort, ca, { minVersion: 'TLSv1.3' })).toMatch(/^TLSv1\.3 /);
    expect(await tlsHandshake(httpsPort, ca, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' })).toBe('TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256');
    expect(await tlsHandshake(httpsPort, ca, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' })).toMatch(/protocol version/i);
    const headers = await http2Get(httpsPort, ca, '/api/products?limit=1');
    expect(headers[':status']).toBe(200);
    expect(headers['strict-transport-security']).toBe(hsts);
  });

  it('redirects plain HTTP to HTTPS, except the healthcheck and the internal `nginx` host', async () => {
    await expectRedirectToHttps(rawRequest, httpsPort);
    expect((await rawRequest('GET', '/api/products?limit=1', { host: 'nginx' })).status).toBe(200);
  });

  it('logs the admin in over HTTPS with a Secure refresh cookie', async () => {
    await expectSecureLogin(httpsPort, ca, ADMIN, hsts);
  });
});
