// A local stand-in for Pro Santé Connect (PSC), the ANS's OpenID Connect provider, for the tests and
// the demo: the OpenID-certified `oidc-provider` configured as PSC publishes itself (authorization code
// with PKCE, scopes `openid scope_all`, acr `eidas1`, the identity in `SubjectNameID` and the exercise
// situations in `SubjectRefPro` of userinfo, RP-initiated logout). Its login page asks for the national
// identifier a CPx card or an e-CPS would prove ("8" + RPPS).
//
// Environment (all optional):
//   PSC_PORT                     port on 127.0.0.1 (0: any free port; default 0)
//   PSC_CLIENT_ID, PSC_CLIENT_SECRET        the portal's client (default esms-portal / esms-portal-secret)
//   PSC_REDIRECT_URIS            comma-separated redirect URIs of that client
//   PSC_POST_LOGOUT_REDIRECT_URIS          comma-separated post-logout redirect URIs
//   PSC_ACCOUNTS                 a JSON file: {"<national id>": {"given_name": ..., "family_name": ..., "SubjectRefPro": ...}}
// Misbehaviours the tests ask for:
//   PSC_ACR                      the acr the ID token carries (default eidas1)
//   PSC_CLOCK_OFFSET_SECONDS     shift the provider's clock (-600: every ID token already expired)
//   PSC_ID_TOKEN_TTL             ID token lifetime in seconds (default 600)
//   PSC_KEY_ID                   the signing key's kid (default psc-simule)
//   PSC_PUBLISHED_JWKS_URL       publish another provider's keys instead of the signing ones
// Once listening it prints one JSON line {"issuer": "http://127.0.0.1:<port>"} on stdout.

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const env = process.env;
const list = (value) => (value || '').split(',').map((item) => item.trim()).filter(Boolean);

const offset = Number(env.PSC_CLOCK_OFFSET_SECONDS || 0) * 1000;
if (offset) {
  const realNow = Date.now;
  Date.now = () => realNow() + offset;
}

const accounts = env.PSC_ACCOUNTS ? JSON.parse(readFileSync(env.PSC_ACCOUNTS, 'utf8')) : {};

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

// The claims PSC's userinfo answers for scope_all (names as PSC spells them).
function claimsOf(identifier) {
  const known = accounts[identifier] || {};
  const rpps = identifier.startsWith('8') ? identifier.slice(1) : '';
  return {
    sub: identifier,
    SubjectNameID: identifier,
    preferred_username: identifier,
    given_name: known.given_name || 'Prénom',
    family_name: known.family_name || 'Nom',
    SubjectRefPro: known.SubjectRefPro || { codeCivilite: '', exercices: [] },
    SubjectOrganization: known.SubjectOrganization || '',
    SubjectRole: known.SubjectRole || [],
    otherIds: rpps ? [{ identifiant: rpps, origine: 'RPPS', qualite: 1 }] : [],
  };
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }), kid: env.PSC_KEY_ID || 'psc-simule', use: 'sig', alg: 'RS256',
};

function page(title, body) {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: Marianne, Arial, sans-serif; max-width: 40rem; margin: 2rem auto">
<p><strong>Pro Santé Connect (simulé)</strong> — fournisseur d'identité de démonstration, aucune vraie carte.</p>
${body}</body></html>`;
}

function configuration(issuer) {
  return {
    clients: [{
      client_id: env.PSC_CLIENT_ID || 'esms-portal',
      client_secret: env.PSC_CLIENT_SECRET || 'esms-portal-secret',
      redirect_uris: list(env.PSC_REDIRECT_URIS),
      post_logout_redirect_uris: list(env.PSC_POST_LOGOUT_REDIRECT_URIS),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [signingKey] },
    scopes: ['openid', 'scope_all'],
    claims: {
      openid: ['sub'],
      scope_all: ['SubjectNameID', 'SubjectRefPro', 'SubjectOrganization', 'SubjectRole', 'given_name',
        'family_name', 'preferred_username', 'otherIds'],
    },
    acrValues: ['eidas1', 'eidas2', 'eidas3'],
    conformIdTokenClaims: true,
    pkce: { required: () => true },
    findAccount: async (ctx, id) => ({ accountId: id, claims: async () => claimsOf(id) }),
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['psc-simule-cookies'] },
    ttl: {
      AccessToken: 600, AuthorizationCode: 60, Grant: 3600, Interaction: 3600, Session: 3600,
      IdToken: Number(env.PSC_ID_TOKEN_TTL || 600),
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Déconnexion', `<h1>Se déconnecter de Pro Santé Connect ?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Se déconnecter</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Déconnecté', '<h1>Vous êtes déconnecté de Pro Santé Connect.</h1>');
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Erreur', `<h1>Erreur</h1><pre>${escapeHtml(JSON.stringify(out))}</pre>`);
    },
    issuer,
  };
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page('Connexion', `<h1>Connexion avec Pro Santé Connect</h1>
<form method="post" action="/interaction/${details.uid}/login">
<label for="identifier">Identifiant national (« 8 » + RPPS, ou celui de votre carte CPx)</label>
<input id="identifier" name="identifier" required autofocus>
<button type="submit">Se connecter</button></form>`));
    return;
  }
  const identifier = ((await readForm(req)).get('identifier') || '').replace(/\s+/g, '').toUpperCase();
  const grant = new provider.Grant({ accountId: identifier, clientId: details.params.client_id });
  grant.addOIDCScope('openid scope_all');
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, {
    login: { accountId: identifier, acr: env.PSC_ACR || 'eidas1', amr: ['pin', 'hwk'] },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
}

async function publishedKeys(res) {
  const answer = await fetch(env.PSC_PUBLISHED_JWKS_URL);
  res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
  res.end(await answer.text());
}

let provider;
const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  let handled;
  if (path.startsWith('/interaction/')) handled = interaction(provider, req, res);
  else if (path === '/jwks' && env.PSC_PUBLISHED_JWKS_URL) handled = publishedKeys(res);
  else return provider.callback()(req, res);
  return handled.catch((error) => {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(String(error));
  });
});

server.listen(Number(env.PSC_PORT || 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, configuration(issuer));
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
