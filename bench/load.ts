/**
 * The bench's load generator, in a process of its own so it never competes with the app inside one event loop:
 * autocannon, where each connection is one browser with its own signed-in session. A connection keeps the
 * cookies each response sets (a switch renews the session) and cycles through its own paths. Each connection
 * sends a fixed number of requests and reads every answer, so no browser is left holding a cookie whose
 * successor was lost in flight when the round ends.
 */
import autocannon from 'autocannon';
import { cookieHeader, keepCookies, type Cookies } from './cookies.ts';

export interface LoadSession {
  /** Cookie name → value, as the browser holds them when the round starts. */
  cookies: Cookies;
  /** Sent in turn with the paths (the token of the account acting at that turn), round and round. */
  csrfTokens?: string[];
  /** Requested in turn, round and round. */
  paths: string[];
}

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  requestsPerConnection: number;
  expectedStatus: number;
  sessions: LoadSession[];
}

export interface LoadResult {
  requests: number;
  /** Answers over the time from the start to the last answer. */
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Answers with another status than expected, errors and timeouts. */
  unexpected: number;
  /** Each connection's cookies at the end, to go on from in the next round. */
  sessions: LoadSession[];
}

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
const sessions = spec.sessions.map(session => ({ ...session, cookies: { ...session.cookies } }));
let nextSession = 0;
let answered = 0;
let expected = 0;
let lastAnswerAt = 0;

const startedAt = performance.now();
const result = await autocannon({
  url: spec.url,
  connections: sessions.length,
  maxConnectionRequests: spec.requestsPerConnection,
  // Without this autocannon also stops after its default 10 s, cutting requests off in flight: a switch the
  // server made whose new cookie never reached the browser leaves that browser's session stale for good.
  duration: 24 * 60 * 60,
  setupClient(client) {
    const session = sessions[nextSession++ % sessions.length]!;
    let turn = 0;
    client.setRequests([
      {
        method: spec.method,
        setupRequest: request => {
          const index = turn++;
          const token = session.csrfTokens?.[index % session.csrfTokens.length];
          return {
            ...request,
            path: session.paths[index % session.paths.length]!,
            headers: {
              cookie: cookieHeader(session.cookies),
              'sec-fetch-site': 'same-origin',
              ...(token ? { 'x-csrf-token': token } : {}),
            },
          };
        },
        onResponse(status, _body, _context, headers) {
          answered++;
          if (status === spec.expectedStatus) expected++;
          lastAnswerAt = performance.now();
          // autocannon passes the headers as sent, names in their own case (Koa writes `Set-Cookie`).
          keepCookies(session.cookies, headers?.['Set-Cookie'] ?? headers?.['set-cookie']);
        },
      },
    ]);
  },
});

const report: LoadResult = {
  requests: answered,
  requestsPerSecond: answered / ((lastAnswerAt - startedAt) / 1000),
  p50: result.latency.p50,
  p99: result.latency.p99,
  // Requests never answered count too.
  unexpected: spec.requestsPerConnection * sessions.length - expected + result.errors + result.timeouts,
  sessions,
};
process.stdout.write(JSON.stringify(report));
